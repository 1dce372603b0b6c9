using System.Text;
using System.Text.Json;
using Dunning.Common;
using Dunning.Import;

namespace Dunning.Tests.Import;

/// <summary>Whatever a file or a request body holds, the import answers with rows and errors, never an exception.</summary>
public class ImportFuzzTests
{
    private static readonly HashSet<CustomerId> Known = [new("C1")];

    private static readonly string[] CsvPieces =
    [
        ",", "\"", "\"\"", "\r\n", "\n", "\r", "C1", "id", "amount", "customer_id", "2026-01-31", "USD", "10.50", "-1", " ", "\uFEFF",
        "business", "US", "America/New_York", "a@b.example", "\ud800", "é", "1e400", "99999999999999999999999999999999",
    ];

    [Fact]
    public void GivenRandomCsvText_WhenImported_ThenRowsAndErrorsButNeverAnException()
    {
        var random = new Random(4180);
        for (var i = 0; i < 3000; i++)
        {
            var header = i % 2 == 0 ? "id,name,kind,country,timezone,billing_email\n" : "id,customer_id,number,issue_date,due_date,currency,amount,amount_paid\n";
            var text = header + Pieces(random, CsvPieces, 80);

            var failure = Record.Exception(() =>
            {
                LedgerCsv.ParseCustomers("f.csv", new StringReader(text));
                LedgerCsv.ParseInvoices("f.csv", new StringReader(text), Known);
                LedgerCsv.ParseInvoices("f.csv", new StringReader(Pieces(random, CsvPieces, 80)), Known);
            });

            Assert.True(failure is null, $"iteration {i}: {failure} for {text}");
        }
    }

    [Fact]
    public void GivenRandomJson_WhenImported_ThenRowsAndErrorsButNeverAnException()
    {
        var random = new Random(9457);
        for (var i = 0; i < 5000; i++)
        {
            var text = RandomJson(random, depth: 0);
            using var document = JsonDocument.Parse(text);

            var failure = Record.Exception(() =>
            {
                LedgerJson.ParseCustomers(document.RootElement);
                LedgerJson.ParseInvoices(document.RootElement, Known);
            });

            Assert.True(failure is null, $"iteration {i}: {failure} for {text}");
        }
    }

    private static readonly string[] Names =
    [
        "id", "name", "kind", "country", "region", "timezone", "billingEmail", "managerEmail", "ownerEmail", "phone", "address",
        "customerId", "number", "issueDate", "dueDate", "currency", "amount", "amountPaid", "ID", "other", "\\ud800",
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-1", "12.5", "1e400", "-0", "99999999999999999999999999999999", "\"\"", "\"C1\"", "\"USD\"",
        "\"2026-01-31\"", "\"business\"", "\"GB\"", "\"Europe/London\"", "\"a@b.example\"", "\"10.50\"", "\"\\ud800\"",
        "\"  \"", "\"\\u0000\"",
    ];

    /// <summary>Objects and arrays of the import's own field names with values of every JSON type.</summary>
    private static string RandomJson(Random random, int depth) => (depth < 3 ? random.Next(4) : 3) switch
    {
        0 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomJson(random, depth + 1))) + "]",
        1 or 2 => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 10)).Select(_ => $"\"{Names[random.Next(Names.Length)]}\":{RandomJson(random, depth + 1)}")) + "}",
        _ => Scalars[random.Next(Scalars.Length)],
    };

    private static string Pieces(Random random, string[] pieces, int max)
    {
        var text = new StringBuilder();
        for (var n = random.Next(0, max); n > 0; n--)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}
