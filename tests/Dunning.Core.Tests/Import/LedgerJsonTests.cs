using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Import;
using Dunning.Invoices;

namespace Dunning.Tests.Import;

public class LedgerJsonTests
{
    private static readonly HashSet<CustomerId> Known = [new("C1")];

    private static ImportResult<Customer> Customers(string json) => LedgerJson.ParseCustomers(JsonDocument.Parse(json).RootElement);

    private static ImportResult<Invoice> Invoices(string json) => LedgerJson.ParseInvoices(JsonDocument.Parse(json).RootElement, Known);

    private static string[] Errors<T>(ImportResult<T> result) => [.. result.Errors.Select(e => e.ToString())];

    [Fact]
    public void GivenLinesAsAnArray_WhenParsed_ThenTheyAreReadAndMustAddUpToTheAmount()
    {
        var result = Invoices("""
            [
              {"id":"INV-1","customerId":"C1","number":"N-1","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"EUR","amount":30,
               "lines":[{"description":"Croissants","quantity":10,"unitPrice":"2.50"},{"description":"Coffee","quantity":1,"unitPrice":5}]},
              {"id":"INV-2","customerId":"C1","number":"N-2","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"EUR","amount":31,
               "lines":[{"description":"Croissants","quantity":10,"unitPrice":"2.50"},{"description":"Coffee","quantity":1,"unitPrice":5}]}
            ]
            """);

        Assert.Equal([new InvoiceLine("Croissants", 10m, 2.50m), new InvoiceLine("Coffee", 1m, 5m)], Assert.Single(result.Rows).Lines!);
        Assert.Equal(["[1].lines: the line totals add up to 30.00, not the amount 31"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void GivenLinesThatAreNotObjectsOrHaveABadDescription_WhenParsed_ThenEachRowIsRefusedNamingWhy()
    {
        var result = Invoices("""
            [
              {"id":"INV-1","customerId":"C1","number":"N-1","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"EUR","amount":5,"lines":5},
              {"id":"INV-2","customerId":"C1","number":"N-2","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"EUR","amount":5,
               "lines":[{"description":"Cake\u0007","quantity":1,"unitPrice":5}]},
              {"id":"INV-3","customerId":"C1","number":"N-3","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"EUR","amount":5,
               "lines":[{"quantity":1,"unitPrice":5}]}
            ]
            """);

        Assert.Empty(result.Rows);
        Assert.Equal(
            [
                "[0].lines: must be an array of objects with description, quantity and unitPrice",
                "[1].lines: line 1: the description must not contain control characters",
                "[2].lines: line 1 has no description",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenOneValidCustomerObject_WhenParsed_ThenItIsRead()
    {
        var result = Customers("""
            {"id":"C1","name":"Acme","kind":"business","country":"GB","region":"ENG","timezone":"Europe/London",
             "billingEmail":"ap@acme.example","managerEmail":null,"phone":"+44 20 7946 0000","address":"1 High St","extra":"ignored"}
            """);

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
        Assert.Equal(
            new Customer(new CustomerId("C1"), "Acme", CustomerKind.Business, new Jurisdiction("GB", "ENG"), "Europe/London",
                ValueList.Of(new Contact(ContactRole.Billing, "ap@acme.example")), "+44 20 7946 0000", "1 High St"),
            Assert.Single(result.Rows));
    }

    [Fact]
    public void GivenALanguageField_WhenParsed_ThenItIsKeptCanonicalOrRefusedNamingTheValue()
    {
        var result = Customers("""
            [{"id":"C1","name":"Café Lune","kind":"business","country":"FR","timezone":"Europe/Paris","billingEmail":"ap@lune.example","language":"fr-fr"},
             {"id":"C2","name":"Roma","kind":"business","country":"IT","timezone":"Europe/Rome","billingEmail":"ap@roma.example","language":"it"}]
            """);

        Assert.Equal("fr-FR", Assert.Single(result.Rows).Language);
        Assert.Equal(["[1].language: 'it' is not a supported language: an IETF tag of de, en, es, fr (e.g. de, de-DE, fr-CA, es-MX)"], Errors(result));
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Europe/Londn")]
    [InlineData("Pacific Standard Time")]
    [InlineData("GMT+1")]
    public void GivenATimeZoneThatIsNotAnIanaZone_WhenParsed_ThenItIsAnErrorNamingItNeverUtc(string zone)
    {
        var result = Customers($$"""{"id":"C1","name":"Acme","kind":"business","country":"GB","timezone":"{{zone}}","billingEmail":"ap@acme.example"}""");

        Assert.False(result.Succeeded);
        Assert.Empty(result.Rows);
        Assert.Equal([$"timezone: '{zone}' is not a known IANA time zone (e.g. America/Los_Angeles, Europe/London)"], Errors(result));
    }

    [Theory]
    [InlineData("America/Los_Angeles")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void GivenAnIanaTimeZone_WhenParsed_ThenTheCustomerKeepsIt(string zone)
    {
        var result = Customers($$"""{"id":"C1","name":"Acme","kind":"business","country":"GB","timezone":"{{zone}}","billingEmail":"ap@acme.example"}""");

        Assert.Equal(zone, Assert.Single(result.Rows).TimeZone);
        Assert.Equal(zone, Assert.Single(result.Rows).Zone.Id);
    }

    [Fact]
    public void GivenOneBadObject_WhenParsed_ThenFieldsAreNamedWithoutAnIndex()
    {
        var result = Customers("""{"id":"C1","name":5,"kind":"business","country":"GB","timezone":"Europe/London"}""");

        Assert.Equal(
            [
                "name: must be a string",
                "billingEmail: at least one of billingEmail, managerEmail, ownerEmail is required",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenAnArrayOfInvoices_WhenSomeAreBad_ThenEachProblemNamesIndexAndField()
    {
        var result = Invoices("""
            [
              {"id":"I1","customerId":"C1","number":"1","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"USD","amount":120.5,"amountPaid":"20"},
              {"id":"I2","customerId":"C2","number":"2","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"USD","amount":0},
              "not an object",
              {"id":"I1","customerId":"C1","number":"3","issueDate":"2026-1-1","dueDate":"2026-01-31","currency":"usd","amount":"10","amountPaid":true},
              {"id":"I4","customerId":"C1","number":"4","issueDate":"2026-01-01","dueDate":"2026-01-31","currency":"USD","amount":1e400}
            ]
            """);

        Assert.Equal(
            new Invoice(new InvoiceId("I1"), new CustomerId("C1"), "1", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new Money(120.5m, "USD"), new Money(20m, "USD")),
            Assert.Single(result.Rows));
        Assert.Equal(
            [
                "[1].customerId: no customer 'C2' in the customers being imported or in the ledger",
                "[1].amount: must be greater than 0",
                "[2]: must be an object",
                "[3].id: duplicate invoice id 'I1' (first at [0])",
                "[3].issueDate: '2026-1-1' is not a date as YYYY-MM-DD",
                "[3].amountPaid: must be a number or a decimal string",
                "[4].amount: is not a number this system can hold",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenMissingFields_WhenParsed_ThenEachIsRequired()
    {
        Assert.Equal(
            [
                "id: is required",
                "customerId: is required",
                "number: is required",
                "issueDate: is required (YYYY-MM-DD)",
                "dueDate: is required (YYYY-MM-DD)",
                "currency: is required (ISO 4217, e.g. USD, EUR, GBP)",
                "amount: is required",
            ],
            Errors(Invoices("{}")));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void GivenABodyThatIsNeitherObjectNorArray_WhenParsed_ThenOneProblem(string json) =>
        Assert.Equal(["the body must be an object or an array of objects"], Errors(Customers(json)));

    [Fact]
    public void GivenAnEmptyArray_WhenParsed_ThenNothingToDo()
    {
        var result = Customers("[]");

        Assert.True(result.Succeeded);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void GivenPropertyNamesInAnotherCase_WhenParsed_ThenTheyAreFound()
    {
        var result = Invoices("""{"ID":"I1","CustomerId":"C1","Number":"1","IssueDate":"2026-01-01","DueDate":"2026-01-31","Currency":"EUR","Amount":"5"}""");

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
    }

    [Fact]
    public void GivenAnEscapedLoneSurrogate_WhenParsed_ThenAProblemNotAnException()
    {
        var result = Customers("""[{"id":"C1","name":"Bad \ud800 name","kind":"business"},{"id":"C2","\udc00":"x"}]""");

        Assert.Equal(
            [
                "[0]: contains text that is not valid Unicode (an escaped lone surrogate)",
                "[1]: contains text that is not valid Unicode (an escaped lone surrogate)",
            ],
            Errors(result));
    }
}
