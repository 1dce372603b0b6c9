using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace Dunning.Functions.Storage;

/// <summary>
/// Azure Tables keys and long text. PartitionKey and RowKey may not contain '/', '\', '#', '?' or control
/// characters (U+0000–U+001F, U+007F–U+009F); <see cref="Escape"/> percent-encodes those (and '%' itself), so any
/// string becomes a valid key and distinct strings stay distinct. A string property holds at most 64 KiB (32K UTF-16
/// characters), so long JSON is split over numbered properties.
/// </summary>
public static class TableKeys
{
    /// <summary>Characters per chunk property: under the 32,768 UTF-16 characters a string property may hold.</summary>
    public const int ChunkChars = 30_000;

    /// <summary>A property may be split over at most this many chunks (an entity is at most 1 MiB anyway).</summary>
    public const int MaxChunks = 16;

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? b = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                b ??= new StringBuilder(value, 0, i, value.Length + 16);
                b.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                b?.Append(c);
            }
        }

        var key = b?.ToString() ?? value;
        return Encoding.UTF8.GetByteCount(key) <= 1024
            ? key
            : throw new ArgumentException($"'{value[..Math.Min(value.Length, 40)]}…' is too long for a table key (1 KiB).", nameof(value));
    }

    /// <summary>The string <see cref="Escape"/> was given.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var b = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                b.Append((char)code);
                i += 2;
            }
            else
            {
                b.Append(key[i]);
            }
        }

        return b.ToString();
    }

    /// <summary>Writes <paramref name="text"/> as properties Name0, Name1, … and NameChunks, never splitting a surrogate pair.</summary>
    public static void WriteChunked(TableEntity entity, string name, string text)
    {
        var chunks = 0;
        for (var start = 0; start < text.Length; chunks++)
        {
            if (chunks == MaxChunks)
            {
                throw new InvalidOperationException($"{name} is {text.Length} characters: more than a table entity can hold.");
            }

            var length = Math.Min(ChunkChars, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            entity[name + chunks.ToString(CultureInfo.InvariantCulture)] = text.Substring(start, length);
            start += length;
        }

        entity[name + "Chunks"] = chunks;
    }

    public static string ReadChunked(TableEntity entity, string name)
    {
        var chunks = entity.GetInt32(name + "Chunks") ?? 0;
        var b = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            b.Append(entity.GetString(name + i.ToString(CultureInfo.InvariantCulture)));
        }

        return b.ToString();
    }
}
