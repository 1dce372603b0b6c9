using System.Text;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Import;
using Dunning.Invoices;

namespace Dunning.Tests.Import;

public class LedgerCsvTests
{
    private const string CustomerHeader = "id,name,kind,country,region,timezone,billing_email,manager_email,owner_email,phone,address";
    private const string InvoiceHeader = "id,customer_id,number,issue_date,due_date,currency,amount,amount_paid";

    private static readonly HashSet<CustomerId> Known = [new("C1"), new("C2")];

    private static ImportResult<Customer> Customers(string text) => LedgerCsv.ParseCustomers("customers.csv", new StringReader(text));

    private static ImportResult<Invoice> Invoices(string text) => LedgerCsv.ParseInvoices("invoices.csv", new StringReader(text), Known);

    private static string[] Errors<T>(ImportResult<T> result) => [.. result.Errors.Select(e => e.ToString())];

    [Fact]
    public void GivenALinesCell_WhenParsed_ThenTheInvoiceCarriesItsLineItems()
    {
        var result = Invoices($"""
            {InvoiceHeader},lines
            INV-1,C1,N-1,2026-01-01,2026-01-31,USD,100.00,0,"Sourdough loaves|40|2.25; Delivery|1|10.00"
            INV-2,C1,N-2,2026-01-01,2026-01-31,USD,50.00,0,

            """);

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
        Assert.Equal([new InvoiceLine("Sourdough loaves", 40m, 2.25m), new InvoiceLine("Delivery", 1m, 10m)], result.Rows[0].Lines!);
        Assert.Null(result.Rows[1].Lines);
    }

    [Fact]
    public void GivenLinesThatDoNotAddUpToTheAmount_WhenParsed_ThenTheRowIsRefusedNamingTheMismatch()
    {
        var result = Invoices($"""
            {InvoiceHeader},lines
            INV-1,C1,N-1,2026-01-01,2026-01-31,USD,100.00,0,Sourdough loaves|40|2.25
            INV-2,C1,N-2,2026-01-01,2026-01-31,USD,50.00,0,Cake|two|25
            INV-3,C1,N-3,2026-01-01,2026-01-31,USD,50.00,0,just a cake

            """);

        Assert.Equal(
            [
                "invoices.csv:2: lines: the line totals add up to 90.00, not the amount 100.00",
                "invoices.csv:3: lines: line 1: quantity 'two' is not a number greater than 0",
                "invoices.csv:4: lines: line 1 'just a cake' needs a description, a quantity and a unit price (description|quantity|unit price)",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenTooManyLinesAnOverlongDescriptionOrALineBetweenCents_WhenParsed_ThenTheRowIsRefusedNamingIt()
    {
        var many = string.Join("; ", Enumerable.Repeat("Roll|1|1.00", 101));
        var result = Invoices($"""
            {InvoiceHeader},lines
            INV-1,C1,N-1,2026-01-01,2026-01-31,USD,101.00,0,{many}
            INV-2,C1,N-2,2026-01-01,2026-01-31,USD,1.00,0,{new string('x', 201)}|1|1.00
            INV-3,C1,N-3,2026-01-01,2026-01-31,USD,100.00,0,{string.Join("; ", Enumerable.Repeat("Roll|1|1.00", 100))}
            INV-4,C1,N-4,2026-01-01,2026-01-31,USD,3.38,0,Flour|1.5|2.25
            INV-5,C1,N-5,2026-01-01,2026-01-31,JPY,149,0,Flour|1.5|99

            """);

        Assert.Equal(
            [
                "invoices.csv:2: lines: has 101 lines; at most 100 are kept (the invoice copy is printed, and the Azure ledger stores them in one table property)",
                "invoices.csv:3: lines: line 1: the description is longer than 200 characters",
                "invoices.csv:5: lines: line 1: 1.5 × 2.25 = 3.375 is not a whole amount in USD",
                "invoices.csv:6: lines: line 1: 1.5 × 99 = 148.5 is not a whole amount in JPY",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenAPlaceholderDueDate_WhenParsed_ThenTheRowIsRefusedNamingTheDate()
    {
        var result = Invoices($"""
            {InvoiceHeader}
            INV-1,C1,N-1,2026-01-01,9999-12-31,USD,100.00,0
            INV-2,C1,N-2,0001-01-01,2026-02-01,USD,100.00,0
            INV-3,C1,N-3,2026-01-01,2199-12-31,USD,100.00,0

            """);

        Assert.Equal(
            [
                "invoices.csv:2: due_date: 9999-12-31 is not a plausible date (from 1900-01-01 to 2199-12-31)",
                "invoices.csv:3: issue_date: 0001-01-01 is not a plausible date (from 1900-01-01 to 2199-12-31)",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenAValidCustomersFile_WhenParsed_ThenEveryRowIsRead()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,Acme Ltd,business,GB,ENG,Europe/London,ap@acme.example,,boss@acme.example,+44 20 7946 0000,"1 High St, London"
            C2,"Smith, Jane",Consumer,us,ca,America/Los_Angeles,jane@example.com,,,,

            """);

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
        Assert.Equal(
            [
                new Customer(
                    new CustomerId("C1"), "Acme Ltd", CustomerKind.Business, new Jurisdiction("GB", "ENG"), "Europe/London",
                    ValueList.Of(new Contact(ContactRole.Billing, "ap@acme.example"), new Contact(ContactRole.Owner, "boss@acme.example")),
                    "+44 20 7946 0000", "1 High St, London"),
                new Customer(
                    new CustomerId("C2"), "Smith, Jane", CustomerKind.Consumer, new Jurisdiction("US", "CA"), "America/Los_Angeles",
                    ValueList.Of(new Contact(ContactRole.Billing, "jane@example.com"))),
            ],
            result.Rows);
    }

    [Fact]
    public void GivenALanguageColumn_WhenParsed_ThenSupportedTagsAreKeptCanonicalAndOthersAreRefusedNamingTheValue()
    {
        var result = Customers($"""
            {CustomerHeader},language
            C1,Bäckerei Berg,business,DE,,Europe/Berlin,ap@berg.example,,,,,de-de
            C2,Café Lune,business,FR,,Europe/Paris,ap@lune.example,,,,,fr
            C3,Acme Ltd,business,GB,ENG,Europe/London,ap@acme.example,,,,,
            C4,Pizzeria Roma,business,IT,,Europe/Rome,ap@roma.example,,,,,it-IT
            C5,Nowhere Inc,business,US,CA,America/Los_Angeles,ap@nowhere.example,,,,,klingon

            """);

        Assert.Equal([("C1", "de-DE"), ("C2", "fr"), ("C3", null)], result.Rows.Select(c => (c.Id.Value, c.Language)));
        Assert.Equal(
            [
                "customers.csv:5: language: 'it-IT' is not a supported language: an IETF tag of de, en, es, fr (e.g. de, de-DE, fr-CA, es-MX)",
                "customers.csv:6: language: 'klingon' is not a supported language: an IETF tag of de, en, es, fr (e.g. de, de-DE, fr-CA, es-MX)",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenFiveDifferentBadRows_WhenParsed_ThenAllFiveAreReportedWithFileLineAndColumn()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,Acme Ltd,business,GB,ENG,Europe/London,ap@acme.example,,,,
            C2,Partner Co,partner,GB,,Europe/London,ap@partner.example,,,,
            C3,Brit Ltd,business,UK,,Europe/London,ap@brit.example,,,,
            C4,Mars Inc,business,US,CA,Mars/Olympus,ap@mars.example,,,,
            C5,Silent Ltd,business,DE,,Europe/Berlin,,,,+49 30 1234567,
            C6,Typo Ltd,business,FR,,Europe/Paris,not-an-email,,,,
            """);

        Assert.Equal(["C1"], result.Rows.Select(c => c.Id.Value));
        Assert.Equal(
            [
                "customers.csv:3: kind: 'partner' must be business or consumer",
                "customers.csv:4: country: 'UK' is not an ISO 3166-1 alpha-2 code: the United Kingdom is GB",
                "customers.csv:5: timezone: 'Mars/Olympus' is not a known IANA time zone (e.g. America/Los_Angeles, Europe/London)",
                "customers.csv:6: billing_email: at least one of billing_email, manager_email, owner_email is required",
                "customers.csv:7: billing_email: 'not-an-email' is not an email address",
            ],
            Errors(result));
        Assert.Equal(new ImportError("customers.csv", 3, "kind", "'partner' must be business or consumer"), result.Errors[0]);
    }

    [Fact]
    public void GivenOneRowWithManyProblems_WhenParsed_ThenEachColumnIsReportedOnce()
    {
        var result = Customers($"""
            {CustomerHeader}
            bad id!,,robot,Germany,California,Nowhere/City,x@,y@z,"a@b.c; d@e.f",call me,
            """);

        Assert.Equal(
            [
                "customers.csv:2: id: customer id 'bad id!' may contain only letters, digits, '.', '_' and '-'",
                "customers.csv:2: name: is required",
                "customers.csv:2: kind: 'robot' must be business or consumer",
                "customers.csv:2: country: 'Germany' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)",
                "customers.csv:2: region: 'CALIFORNIA' is not a subdivision code (one to three letters or digits, e.g. CA, NY, ENG)",
                "customers.csv:2: timezone: 'Nowhere/City' is not a known IANA time zone (e.g. America/Los_Angeles, Europe/London)",
                "customers.csv:2: billing_email: 'x@' is not an email address",
                "customers.csv:2: manager_email: 'y@z' is not an email address",
                "customers.csv:2: owner_email: 'a@b.c; d@e.f': one email address per column",
                "customers.csv:2: phone: 'call me' is not a phone number",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenQuotedFieldsWithCommasQuotesAndNewlines_WhenParsed_ThenValuesAreWholeAndLineNumbersArePhysical()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,"The ""Best"" Bakery, Inc.",business,US,NY,America/New_York,ap@best.example,,,,"12 Main St
            Suite 4
            Springfield"
            C2,Second,business,US,XX-NY,America/New_York,ap@second.example,,,,
            """);

        Assert.Equal("The \"Best\" Bakery, Inc.", result.Rows[0].Name);
        Assert.Equal("12 Main St, Suite 4, Springfield", result.Rows[0].Address);
        Assert.Equal(["customers.csv:5: region: 'XX-NY' is not a subdivision code (one to three letters or digits, e.g. CA, NY, ENG)"], Errors(result));
    }

    [Fact]
    public void GivenARegionWrittenWithItsCountry_WhenParsed_ThenTheFixIsSuggested()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,One,business,US,US-CA,America/Los_Angeles,ap@one.example,,,,
            """);

        Assert.Equal(["customers.csv:2: region: 'US-CA': write the subdivision without the country, e.g. CA"], Errors(result));
    }

    [Fact]
    public void GivenADuplicateId_WhenParsed_ThenTheLaterLineIsReported()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,One,business,US,,America/New_York,a@one.example,,,,
            C2,Two,business,US,,America/New_York,a@two.example,,,,
            C1,One again,business,US,,America/New_York,a@one.example,,,,
            """);

        Assert.Equal(["customers.csv:4: id: duplicate customer id 'C1' (first on line 2)"], Errors(result));
        Assert.Equal(["C1", "C2"], result.Rows.Select(c => c.Id.Value));
    }

    [Fact]
    public void GivenMissingColumns_WhenParsed_ThenEachIsReportedOnceAndOtherColumnsAreStillChecked()
    {
        var result = Customers("""
            id,name,country,billing_email
            C1,One,US,a@one.example
            C2,Two,ZZ,a@two.example
            C3,Three,GB,a@three.example
            """);

        Assert.Equal(
            [
                "customers.csv:1: kind: required column is missing from the header",
                "customers.csv:1: timezone: required column is missing from the header",
                "customers.csv:3: country: 'ZZ' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)",
            ],
            Errors(result));
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void GivenNoEmailColumnAtAll_WhenParsed_ThenTheHeaderIsReportedOnce()
    {
        var result = Customers("""
            id,name,kind,country,timezone
            C1,One,business,US,America/New_York
            C2,Two,business,US,America/New_York
            """);

        Assert.Equal(["customers.csv:1: billing_email: the header needs at least one of the columns billing_email, manager_email, owner_email"], Errors(result));
    }

    [Fact]
    public void GivenColumnsInAnyOrderWithDifferentCaseAndUnknownExtras_WhenParsed_ThenTheyAreFoundByName()
    {
        var result = Customers("""
            Notes,Time Zone,Owner-Email,Country,Kind,Name,ID
            "VIP, pays late",Europe/Berlin,chef@example.de,DE,business,Muster GmbH,C9
            """);

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
        var customer = Assert.Single(result.Rows);
        Assert.Equal(new Contact(ContactRole.Owner, "chef@example.de"), Assert.Single(customer.Contacts));
        Assert.Equal("Europe/Berlin", customer.TimeZone);
    }

    [Fact]
    public void GivenABomAndCrlfLineEndings_WhenParsed_ThenTheyAreInvisible()
    {
        var text = "\uFEFF" + CustomerHeader + "\r\nC1,One,business,US,CA,America/Los_Angeles,a@one.example,,,,\r\nC2,Two,business,US,,America/Los_Angeles,,,,,\r\n";

        var result = Customers(text);
        var fromBytes = LedgerCsv.ParseCustomers("customers.csv", new StreamReader(new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text[1..])])));

        Assert.Equal(["customers.csv:3: billing_email: at least one of billing_email, manager_email, owner_email is required"], Errors(result));
        Assert.Equal("C1", Assert.Single(result.Rows).Id.Value);
        Assert.Equal(result, fromBytes);
    }

    [Fact]
    public void GivenAQuotedFieldWithCrlfInside_WhenParsed_ThenTheNextRecordsLineIsStillRight()
    {
        var text = CustomerHeader + "\r\nC1,One,business,US,,America/Los_Angeles,a@one.example,,,,\"line one\r\nline two\"\r\nC2,Two,robot,US,,America/Los_Angeles,a@two.example,,,,\r\n";

        Assert.Equal(["customers.csv:4: kind: 'robot' must be business or consumer"], Errors(Customers(text)));
    }

    [Fact]
    public void GivenAnEmptyFile_WhenParsed_ThenTheMissingHeaderIsReported()
    {
        Assert.Equal(["customers.csv:1: the file is empty: expected a header row naming the columns id, name, kind, country, timezone"], Errors(Customers(string.Empty)));
        Assert.Equal(Errors(Customers(string.Empty)), Errors(Customers("\uFEFF\r\n\r\n")));
    }

    [Fact]
    public void GivenBrokenQuotingAndWrongFieldCounts_WhenParsed_ThenEachRecordIsReportedAndTheRestStillChecked()
    {
        var result = Customers($"""
            {CustomerHeader}
            C1,"One" Ltd,business,US,,America/New_York,a@one.example,,,,
            C2,Two,business,US,,America/New_York,a@two.example
            C3,Three,business,US,,America/New_York,a@three.example,,,,,,
            C4,Four,business,US,,America/New_York,a@four.example,,,,,,extra
            C5,Five,robot,US,,America/New_York,a@five.example,,,,
            C6,"Six
            """);

        Assert.Equal(
            [
                "customers.csv:2: name: text after the closing quote of a quoted field (a quote inside quotes is written \"\")",
                "customers.csv:3: the record has 7 fields but the header has 11 (a comma inside a value needs the value in double quotes)",
                "customers.csv:5: the record has 13 fields but the header has 11 (a comma inside a value needs the value in double quotes)",
                "customers.csv:6: kind: 'robot' must be business or consumer",
                "customers.csv:7: name: a quoted field is not closed: a '\"' is missing",
            ],
            Errors(result));
        Assert.Equal(["C3"], result.Rows.Select(c => c.Id.Value));
    }

    [Fact]
    public void GivenAValidInvoicesFile_WhenParsed_ThenEveryRowIsRead()
    {
        var result = Invoices($"""
            {InvoiceHeader}
            I1,C1,2026-001,2026-01-01,2026-01-31,GBP,1200.00,0
            I2,C2,2026-002,2026-01-05,2026-01-05,jpy,50000,
            I3,C2,2026-003,2026-01-05,2026-02-05,USD,99.5,99.50
            """);

        Assert.True(result.Succeeded, string.Join("\n", Errors(result)));
        Assert.Equal(
            [
                new Invoice(new InvoiceId("I1"), new CustomerId("C1"), "2026-001", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), new Money(1200m, "GBP"), new Money(0m, "GBP")),
                new Invoice(new InvoiceId("I2"), new CustomerId("C2"), "2026-002", new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 5), new Money(50000m, "JPY"), new Money(0m, "JPY")),
                new Invoice(new InvoiceId("I3"), new CustomerId("C2"), "2026-003", new DateOnly(2026, 1, 5), new DateOnly(2026, 2, 5), new Money(99.5m, "USD"), new Money(99.5m, "USD")),
            ],
            result.Rows);
    }

    [Fact]
    public void GivenBadInvoices_WhenParsed_ThenEveryProblemIsReported()
    {
        var result = Invoices($"""
            {InvoiceHeader}
            I1,C404,2026-001,2026-01-01,2026-01-31,GBP,100,0
            I2,C1,2026-002,2026-02-01,2026-01-01,GBP,100,0
            I3,C1,2026-003,01/02/2026,2026-13-01,US,100,0
            I4,C1,2026-004,2026-01-01,2026-01-31,USD,"1,200.00",0
            I5,C1,2026-005,2026-01-01,2026-01-31,USD,100,100.01
            I6,C1,,2026-01-01,2026-01-31,USD,0,-1
            I7,C1,2026-007,2026-01-01,2026-01-31,JPY,100.5,0
            I1,C1,2026-008,2026-01-01,2026-01-31,USD,10,0
            """);

        Assert.Empty(result.Rows);
        Assert.Equal(
            [
                "invoices.csv:2: customer_id: no customer 'C404' in the customers being imported or in the ledger",
                "invoices.csv:3: due_date: 2026-01-01 is before issue_date 2026-02-01",
                "invoices.csv:4: issue_date: '01/02/2026' is not a date as YYYY-MM-DD",
                "invoices.csv:4: due_date: '2026-13-01' is not a date as YYYY-MM-DD",
                "invoices.csv:4: currency: 'US' is not an ISO 4217 code (e.g. USD, EUR, GBP)",
                "invoices.csv:5: amount: '1,200.00' is not a decimal with '.' and no thousands separators, e.g. 1234.50",
                "invoices.csv:6: amount_paid: 100.01 is more than amount 100",
                "invoices.csv:7: number: is required",
                "invoices.csv:7: amount: must be greater than 0",
                "invoices.csv:7: amount_paid: must not be negative",
                "invoices.csv:8: amount: 100.5 has more decimal places than JPY has (0)",
                "invoices.csv:9: id: duplicate invoice id 'I1' (first on line 2)",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenAnInvoicesFileWithoutAmountPaid_WhenParsed_ThenNothingIsPaid()
    {
        var result = Invoices("""
            id,customer_id,number,issue_date,due_date,currency,amount
            I1,C1,2026-001,2026-01-01,2026-01-31,EUR,10.00
            """);

        Assert.Equal(new Money(0m, "EUR"), Assert.Single(result.Rows).AmountPaid);
    }

    [Fact]
    public void GivenAnInvoicesFileMissingColumns_WhenParsed_ThenEachMissingColumnIsReportedOnce()
    {
        var result = Invoices("""
            id,customer_id,number,currency
            I1,C1,1,EUR
            I2,C9,2,EUR
            """);

        Assert.Equal(
            [
                "invoices.csv:1: issue_date: required column is missing from the header",
                "invoices.csv:1: due_date: required column is missing from the header",
                "invoices.csv:1: amount: required column is missing from the header",
                "invoices.csv:3: customer_id: no customer 'C9' in the customers being imported or in the ledger",
            ],
            Errors(result));
    }

    [Fact]
    public void GivenCustomersAndInvoicesTogether_WhenTheCallerChainsThem_ThenInvoicesSeeTheNewCustomers()
    {
        var customers = Customers($"""
            {CustomerHeader}
            NEW,New Co,business,US,,America/Chicago,ap@new.example,,,,
            """);
        var known = customers.Rows.Select(c => c.Id).ToHashSet();

        var invoices = LedgerCsv.ParseInvoices("invoices.csv", new StringReader($"""
            {InvoiceHeader}
            I1,NEW,1,2026-01-01,2026-01-31,USD,10,0
            I2,C1,2,2026-01-01,2026-01-31,USD,10,0
            """), known);

        Assert.Equal(["invoices.csv:3: customer_id: no customer 'C1' in the customers being imported or in the ledger"], Errors(invoices));
    }

    [Fact]
    public void GivenAnImportError_WhenPrinted_ThenItReadsFileLineColumnReason()
    {
        Assert.Equal("invoices.csv:7: amount: must be greater than 0", new ImportError("invoices.csv", 7, "amount", "must be greater than 0").ToString());
        Assert.Equal("invoices.csv:1: the file is empty", new ImportError("invoices.csv", 1, string.Empty, "the file is empty").ToString());
        Assert.Equal("[2].amount: must be greater than 0", new ImportError(string.Empty, 0, "[2].amount", "must be greater than 0").ToString());
    }
}
