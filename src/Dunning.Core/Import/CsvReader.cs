using System.Buffers;
using System.Text;

namespace Dunning.Import;

/// <summary>One CSV record: the physical line it starts on, its fields, and what was wrong with its quoting, if anything.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Problem = null, int ProblemField = 0);

/// <summary>
/// RFC 4180, read leniently where that is harmless: fields separated by commas, records by CRLF, LF or CR; a field in
/// double quotes may hold commas, quotes (doubled) and line breaks; a UTF-8 byte order mark at the start is skipped;
/// blank lines (and lines of only commas) are skipped; a quote inside an unquoted field is kept as a character.
/// Two things cannot be guessed and are reported: text after a closing quote, and a quote that is never closed.
/// </summary>
/// <remarks>
/// The text is read a block at a time and searched for the next character that matters, so a field is copied once
/// rather than read, checked and appended a character at a time: a million-row import reads 60 MB this way.
/// </remarks>
internal static class CsvReader
{
    private const int BlockSize = 1 << 16;

    public static IEnumerable<CsvRecord> Read(TextReader reader) => Read(reader, BlockSize);

    /// <summary>The same with a block of <paramref name="blockSize"/> characters (the tests use tiny ones to split every field).</summary>
    internal static IEnumerable<CsvRecord> Read(TextReader reader, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var records = new Records(reader, blockSize);
        while (records.Next() is { } record)
        {
            yield return record;
        }
    }

    private sealed class Records(TextReader reader, int blockSize)
    {
        private const string NotClosed = "a quoted field is not closed: a '\"' is missing";

        private const string TextAfterQuote = "text after the closing quote of a quoted field (a quote inside quotes is written \"\")";

        private static readonly SearchValues<char> Unquoted = SearchValues.Create(",\"\r\n");

        private static readonly SearchValues<char> Quoted = SearchValues.Create("\"\r\n");

        private readonly char[] block = new char[blockSize];
        private readonly List<string> fields = [];
        private readonly StringBuilder field = new();
        private int position;
        private int length;
        private bool started;
        private bool ended;
        private int line = 1;

        /// <summary>The next record that is not blank, or null at the end of the text.</summary>
        public CsvRecord? Next()
        {
            if (!started)
            {
                started = true;
                if (Peek('\uFEFF'))
                {
                    position++;
                }
            }

            while (!ended)
            {
                if (Record() is { } record)
                {
                    return record;
                }
            }

            return null;
        }

        /// <summary>Reads one record; null when it was blank.</summary>
        private CsvRecord? Record()
        {
            var start = line;
            var quoted = false;
            var afterQuote = false;
            string? problem = null;
            var problemField = 0;
            fields.Clear();
            field.Clear();

            while (true)
            {
                if (quoted)
                {
                    if (!Fill())
                    {
                        if (problem is null)
                        {
                            problem = NotClosed;
                            problemField = fields.Count;
                        }

                        fields.Add(TakeField(null));
                        ended = true;
                        return new CsvRecord(start, fields.ToArray(), problem, problemField);
                    }

                    var rest = block.AsSpan(position, length - position);
                    var at = rest.IndexOfAny(Quoted);
                    if (at < 0)
                    {
                        field.Append(rest);
                        position = length;
                        continue;
                    }

                    field.Append(rest[..at]);
                    position += at + 1;
                    switch (rest[at])
                    {
                        case '"' when Peek('"'):
                            position++;
                            field.Append('"');
                            break;
                        case '"':
                            quoted = false;
                            afterQuote = true;
                            break;
                        case '\r':
                            if (Peek('\n'))
                            {
                                position++;
                            }

                            line++;
                            field.Append('\n');
                            break;
                        default:
                            line++;
                            field.Append('\n');
                            break;
                    }

                    continue;
                }

                // Outside quotes only a comma, a quote or a line break matters, unless a quoted field has just closed.
                int c;
                string? whole = null;
                if (afterQuote)
                {
                    c = Fill() ? block[position++] : -1;
                }
                else if (!Fill())
                {
                    c = -1;
                }
                else
                {
                    var rest = block.AsSpan(position, length - position);
                    var at = rest.IndexOfAny(Unquoted);
                    if (at < 0)
                    {
                        field.Append(rest);
                        position = length;
                        continue;
                    }

                    c = rest[at];
                    if (field.Length == 0 && c != '"')
                    {
                        whole = new string(rest[..at]);
                    }
                    else
                    {
                        field.Append(rest[..at]);
                    }

                    position += at + 1;
                }

                switch (c)
                {
                    case -1 or '\r' or '\n':
                        if (c == '\r' && Peek('\n'))
                        {
                            position++;
                        }

                        fields.Add(TakeField(whole));
                        var keep = problem is not null || !AllBlank(fields);
                        if (c == -1)
                        {
                            ended = true;
                        }
                        else
                        {
                            line++;
                        }

                        return keep ? new CsvRecord(start, fields.ToArray(), problem, problemField) : null;
                    case ',':
                        fields.Add(TakeField(whole));
                        afterQuote = false;
                        break;
                    case '"' when !afterQuote && Blank(field):
                        field.Clear();
                        quoted = true;
                        break;
                    case ' ' or '\t' when afterQuote:
                        break;
                    default:
                        if (afterQuote && problem is null)
                        {
                            problem = TextAfterQuote;
                            problemField = fields.Count;
                        }

                        field.Append((char)c);
                        break;
                }
            }
        }

        /// <summary>A field read in one piece is taken as it is; one built up (quotes, a block boundary) from the builder.</summary>
        private string TakeField(string? whole)
        {
            if (whole is not null)
            {
                return whole;
            }

            var text = field.ToString();
            field.Clear();
            return text;
        }

        /// <summary>Whether there is text at <see cref="position"/>, reading the next block when this one is used up.</summary>
        private bool Fill()
        {
            if (position < length)
            {
                return true;
            }

            (position, length) = (0, reader.Read(block, 0, block.Length));
            return length > 0;
        }

        private bool Peek(char c) => Fill() && block[position] == c;

        private static bool Blank(StringBuilder text)
        {
            foreach (var chunk in text.GetChunks())
            {
                if (!chunk.Span.IsWhiteSpace())
                {
                    return false;
                }
            }

            return true;
        }

        private static bool AllBlank(List<string> texts)
        {
            foreach (var text in texts)
            {
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
