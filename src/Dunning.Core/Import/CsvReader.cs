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
internal static class CsvReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var afterQuote = false;
        string? problem = null;
        var problemField = 0;

        if (reader.Peek() == '\uFEFF')
        {
            reader.Read();
        }

        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                switch (c)
                {
                    case -1:
                        if (problem is null)
                        {
                            problem = "a quoted field is not closed: a '\"' is missing";
                            problemField = fields.Count;
                        }

                        fields.Add(field.ToString());
                        yield return new CsvRecord(start, [.. fields], problem, problemField);
                        yield break;
                    case '"' when reader.Peek() == '"':
                        reader.Read();
                        field.Append('"');
                        break;
                    case '"':
                        quoted = false;
                        afterQuote = true;
                        break;
                    case '\r':
                        if (reader.Peek() == '\n')
                        {
                            reader.Read();
                        }

                        line++;
                        field.Append('\n');
                        break;
                    case '\n':
                        line++;
                        field.Append('\n');
                        break;
                    default:
                        field.Append((char)c);
                        break;
                }

                continue;
            }

            switch (c)
            {
                case -1 or '\r' or '\n':
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        reader.Read();
                    }

                    fields.Add(field.ToString());
                    if (problem is not null || fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
                    {
                        yield return new CsvRecord(start, [.. fields], problem, problemField);
                    }

                    if (c == -1)
                    {
                        yield break;
                    }

                    line++;
                    start = line;
                    fields.Clear();
                    field.Clear();
                    afterQuote = false;
                    problem = null;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                    break;
                case '"' when !afterQuote && string.IsNullOrWhiteSpace(field.ToString()):
                    field.Clear();
                    quoted = true;
                    break;
                case ' ' or '\t' when afterQuote:
                    break;
                default:
                    if (afterQuote && problem is null)
                    {
                        problem = "text after the closing quote of a quoted field (a quote inside quotes is written \"\")";
                        problemField = fields.Count;
                    }

                    field.Append((char)c);
                    break;
            }
        }
    }
}
