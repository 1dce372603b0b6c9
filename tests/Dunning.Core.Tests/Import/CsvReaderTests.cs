using System.Text;
using Dunning.Import;

namespace Dunning.Tests.Import;

/// <summary>
/// The block-at-a-time CSV reader against the character-at-a-time one it replaced (kept below as the reference): the
/// same records, lines, fields and problems for any text, whatever the block size splits.
/// </summary>
public class CsvReaderTests
{
    private static readonly string[] Pieces =
    [
        ",", ",", ",", "\"", "\"", "\"\"", "\r\n", "\n", "\r", " ", "\t", "a", "bc", "C1", "2026-01-31", "10.50", "\uFEFF", "é", "x y", "  ",
    ];

    [Fact]
    public void GivenRandomText_WhenRead_ThenTheSameRecordsAsReadingACharacterAtATime()
    {
        var random = new Random(4180);
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => Pieces[random.Next(Pieces.Length)]));
            var expected = Describe(CharByCharCsvReader.Read(new StringReader(text)));
            foreach (var block in (int[])[1, 2, 3, 7, 1 << 16])
            {
                var actual = Describe(CsvReader.Read(new StringReader(text), block));
                Assert.True(expected == actual, $"block {block}, text {Escape(text)}:\nexpected {expected}\nactual   {actual}");
            }
        }
    }

    [Fact]
    public void GivenALedgerFile_WhenRead_ThenTheSameRecordsAsReadingACharacterAtATime()
    {
        var text = new StringBuilder("\uFEFFid,customer_id,number,issue_date,due_date,currency,amount,amount_paid,lines\r\n");
        for (var i = 0; i < 2_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"I{i},C{i % 7}, N {i} ,2026-01-01,2026-01-31,USD,{i}.50,0,\"Bread|1|{i}.50; \"\"Big\"\" cake|0|1\"\r\n");
            text.Append(i % 100 == 0 ? ",,,\n\n" : string.Empty);
        }

        var expected = Describe(CharByCharCsvReader.Read(new StringReader(text.ToString())));
        Assert.Equal(expected, Describe(CsvReader.Read(new StringReader(text.ToString()), 1000)));
        Assert.Equal(expected, Describe(CsvReader.Read(new StringReader(text.ToString()))));
    }

    private static string Describe(IEnumerable<CsvRecord> records) =>
        string.Join(" | ", records.Select(r => $"{r.Line}:[{string.Join("][", r.Fields.Select(Escape))}]{r.Problem}@{(r.Problem is null ? 0 : r.ProblemField)}"));

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}

/// <summary>The reader before 2026-12-05: a character at a time through <see cref="TextReader.Read()"/>.</summary>
internal static class CharByCharCsvReader
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
