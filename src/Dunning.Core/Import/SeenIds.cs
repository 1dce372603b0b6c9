namespace Dunning.Import;

/// <summary>
/// The ids met so far in one file or body, each with where it first appeared, for the duplicate check. Held in a few
/// flat arrays (about 40 bytes an id of 7 characters, against some 150 in a dictionary of strings to "on line N"
/// strings), because a streamed import keeps one of these for its whole file: at a million invoices it is most of
/// the import's memory. An id is checked (<see cref="Common.Id.Problem"/>) before it comes here, so its characters
/// are ASCII and kept as one byte each, and it is at most <see cref="Common.Id.MaxLength"/> long.
/// </summary>
internal sealed class SeenIds(Func<int, string> where)
{
    private byte[] text = new byte[1 << 12];
    private int used;
    private int[] starts = new int[1 << 10];
    private byte[] lengths = new byte[1 << 10];
    private int[] positions = new int[1 << 10];

    /// <summary>
    /// Open addressing, linear probing, kept at most half full: the id's hash in the high half and its entry + 1 in the
    /// low half (0 when free), so a probe that meets another id rarely has to read that id's characters.
    /// </summary>
    private long[] slots = new long[1 << 11];
    private int count;

    /// <summary>
    /// Records <paramref name="id"/> as met at <paramref name="position"/> (a line, an index). False when it was met
    /// before, with <paramref name="first"/> saying where, in the caller's words ("on line 2", "at [0]").
    /// </summary>
    public bool TryAdd(string id, int position, out string first)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id.Length, Common.Id.MaxLength);
        if (!System.Text.Ascii.IsValid(id))
        {
            throw new ArgumentException("An id is ASCII (Id.Problem checks it first).", nameof(id));
        }

        if (count * 2 >= slots.Length)
        {
            Rehash(slots.Length * 2);
        }

        var mask = slots.Length - 1;
        var hash = string.GetHashCode(id.AsSpan());
        var slot = hash & mask;
        while (slots[slot] is var taken and not 0)
        {
            var entry = unchecked((int)taken) - 1;
            if (unchecked((int)(taken >> 32)) == hash && Same(text.AsSpan(starts[entry], lengths[entry]), id))
            {
                first = where(positions[entry]);
                return false;
            }

            slot = (slot + 1) & mask;
        }

        if (used + id.Length > text.Length)
        {
            Array.Resize(ref text, Math.Max(text.Length * 2, used + id.Length));
        }

        if (count == starts.Length)
        {
            Array.Resize(ref starts, count * 2);
            Array.Resize(ref lengths, count * 2);
            Array.Resize(ref positions, count * 2);
        }

        System.Text.Encoding.ASCII.GetBytes(id, text.AsSpan(used));
        (starts[count], lengths[count], positions[count]) = (used, (byte)id.Length, position);
        used += id.Length;
        slots[slot] = unchecked(((long)hash << 32) | (uint)++count);
        first = string.Empty;
        return true;
    }

    private static bool Same(ReadOnlySpan<byte> kept, string id) => System.Text.Ascii.Equals(kept, id);

    private void Rehash(int size)
    {
        var old = slots;
        slots = new long[size];
        var mask = size - 1;
        foreach (var taken in old)
        {
            if (taken == 0)
            {
                continue;
            }

            var slot = unchecked((int)(taken >> 32)) & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = taken;
        }
    }
}
