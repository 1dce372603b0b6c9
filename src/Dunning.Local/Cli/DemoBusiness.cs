using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Policies;

namespace Dunning.Local.Cli;

/// <summary>
/// The demo's sample business: a supplier with customers in eight US states, England, Germany, France, Ontario
/// and New South Wales, businesses and consumers, invoicing in USD, GBP, EUR, CAD and AUD.
/// </summary>
internal static class DemoBusiness
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset End = new(2026, 5, 5, 0, 0, 0, TimeSpan.Zero);

    public static readonly BusinessProfile Profile = new(
        Name: "Brightwater Supplies Ltd",
        Email: "accounts@brightwater.example",
        OwnerName: "Maya Brightwater",
        Phone: "+1 415 555 0199",
        Address: "200 Harbor Way, Oakland, CA 94607",
        PaymentLinkTemplate: "https://pay.brightwater.example/i/{invoiceNumber}",
        BankTransfer: "Brightwater Supplies Ltd, account 00000000, ABA routing 000000000 (demo: not a real account), reference {invoiceNumber}",
        ChequePayableTo: "Brightwater Supplies Ltd",
        ChequeAddress: "200 Harbor Way, Oakland, CA 94607",
        OwnerNote: "Thank you for working with us. If anything we delivered was not right, tell me and I will sort it out personally. — Maya")
    {
        // Each currency its own way to pay: a customer in Leeds is not told a US routing number. Every number is zeros,
        // so nothing here can route money anywhere.
        PaymentsByCurrency = ValueList.Of<CurrencyPayment>(
            new("GBP", "https://pay.brightwater.example/gbp/{invoiceNumber}", "Brightwater Supplies Ltd, sort code 00-00-00, account 00000000 (demo: not a real account), reference {invoiceNumber}"),
            new("EUR", "https://pay.brightwater.example/eur/{invoiceNumber}", "Brightwater Supplies Ltd, IBAN XX00 0000 0000 0000 0000 00 (demo: not a real account), reference {invoiceNumber}"),
            new("CAD", "https://pay.brightwater.example/cad/{invoiceNumber}", "Brightwater Supplies Ltd, institution 000, transit 00000, account 0000000 (demo: not a real account), reference {invoiceNumber}"),
            new("AUD", "https://pay.brightwater.example/aud/{invoiceNumber}", "Brightwater Supplies Ltd, BSB 000-000, account 000000000 (demo: not a real account), reference {invoiceNumber}")),
    };

    /// <summary>One customer and the invoice the demo follows, with what the customer does.</summary>
    public sealed record Account(Customer Customer, Invoice Invoice, string Story);

    public static IReadOnlyList<Account> Accounts { get; } = Build();

    /// <summary>
    /// Second invoices of some customers. Austin Apparel's falls due a week after its first, so the two cases share the
    /// customer's frequency cap; the others fall due in March and April, so their cases are still running when the demo ends.
    /// </summary>
    public static IReadOnlyList<Invoice> Later { get; } =
    [
        Invoice("INV-1026", "C24", new DateOnly(2026, 1, 15), 1_380m, "USD"),
        Invoice("INV-1027", "C03", new DateOnly(2026, 4, 2), 2_100m, "USD"),
        Invoice("INV-1028", "C13", new DateOnly(2026, 4, 20), 1_150m, "USD"),
        Invoice("INV-1029", "C02", new DateOnly(2026, 4, 28), 860m, "USD"),
        Invoice("INV-1030", "C23", new DateOnly(2026, 4, 14), 1_640m, "EUR"),
    ];

    /// <summary>Two invoices not yet due when the demo ends: the aging report's "current" column.</summary>
    public static IReadOnlyList<Invoice> NotYetDue { get; } =
    [
        Invoice("INV-2101", "C01", new DateOnly(2026, 5, 20), 2_400m, "USD"),
        Invoice("INV-2102", "C18", new DateOnly(2026, 5, 28), 1_150m, "GBP"),
    ];

    private static List<Account> Build()
    {
        var accounts = new List<Account>();
        void Add(string id, string name, CustomerKind kind, string jurisdiction, string zone, string domain, bool manager, bool owner, string? phone, string? address,
            string invoice, int dueDay, decimal amount, string currency, string story)
        {
            var contacts = new List<Contact> { new(ContactRole.Billing, $"accounts@{domain}", kind == CustomerKind.Consumer ? name : "Accounts Payable") };
            if (manager)
            {
                contacts.Add(new Contact(ContactRole.Manager, $"office@{domain}", "Office Manager"));
            }

            if (owner)
            {
                contacts.Add(new Contact(ContactRole.Owner, $"owner@{domain}", "Owner"));
            }

            var customer = new Customer(new CustomerId(id), name, kind, Jurisdiction.Parse(jurisdiction), zone, contacts.ToValueList(), phone, address);
            var due = new DateOnly(2026, 1, 1).AddDays(dueDay - 1);
            accounts.Add(new Account(customer, Invoice(invoice, id, due, amount, currency), story));
        }

        const CustomerKind B = CustomerKind.Business;
        const CustomerKind P = CustomerKind.Consumer;
        Add("C01", "Harbor Bakery", B, "US-CA", "America/Los_Angeles", "harborbakery.example", true, true, "+1 415 555 0101", "12 Pier St, San Francisco, CA 94111", "INV-1001", 6, 1_850m, "USD", "pays in full by Stripe after the gentle reminder");
        Add("C02", "Lone Star Tooling", B, "US-TX", "America/Chicago", "lonestartooling.example", true, true, "+1 512 555 0102", "88 Congress Ave, Austin, TX 78701", "INV-1002", 7, 4_200m, "USD", "pays by the generic webhook after the firm reminder");
        Add("C03", "Empire Dental Group", B, "US-NY", "America/New_York", "empiredental.example", true, true, "+1 212 555 0103", "350 5th Ave, New York, NY 10118", "INV-1003", 8, 2_750m, "USD", "pays part by Stripe invoice, the rest later");
        Add("C04", "Windy City Print", B, "US-IL", "America/Chicago", "windycityprint.example", true, false, "+1 312 555 0104", "401 N Wabash Ave, Chicago, IL 60611", "INV-1004", 6, 3_600m, "USD", "agrees a 3-installment plan and keeps it");
        Add("C05", "Sunshine Pools", B, "US-FL", "America/New_York", "sunshinepools.example", true, true, "+1 305 555 0105", "1200 Brickell Ave, Miami, FL 33131", "INV-1005", 9, 2_400m, "USD", "agrees a plan, pays once, then misses");
        Add("C06", "Cascade Coffee Roasters", B, "US-WA", "America/Los_Angeles", "cascadecoffee.example", true, true, "+1 206 555 0106", "1912 Pike Pl, Seattle, WA 98101", "INV-1006", 12, 900m, "USD", "promises to pay by a date, and does");
        Add("C07", "Thames Joinery Ltd", B, "GB-ENG", "Europe/London", "thamesjoinery.example", true, true, "+44 20 7946 0107", "14 Wharf Rd, London N1 7GR", "INV-1007", 7, 3_200m, "GBP", "disputes the invoice; upheld with a full credit");
        Add("C08", "Berliner Feinkost GmbH", B, "DE", "Europe/Berlin", "berlinerfeinkost.example", true, true, "+49 30 555 0108", "Friedrichstraße 43, 10117 Berlin", "INV-1008", 8, 5_400m, "EUR", "disputes the invoice; rejected, then silence");
        Add("C09", "Maison Lumière SARL", B, "FR", "Europe/Paris", "maisonlumiere.example", true, true, "+33 1 55 50 01 09", "8 Rue de Rivoli, 75004 Paris", "INV-1009", 9, 2_100m, "EUR", "asks us to stop all contact");
        Add("C10", "Maple Leaf Outfitters", B, "CA-ON", "America/Toronto", "mapleleafoutfitters.example", true, true, "+1 416 555 0110", "220 King St W, Toronto, ON M5H 1K4", "INV-1010", 6, 7_800m, "CAD", "never answers");
        Add("C11", "Bondi Surf Co", B, "AU-NSW", "Australia/Sydney", "bondisurf.example", true, true, "+61 2 5550 0111", "78 Campbell Parade, Bondi Beach NSW 2026", "INV-1011", 7, 3_300m, "AUD", "never answers");
        Add("C12", "Rocky Mountain Rentals", B, "US-CO", "America/Denver", "rockymountainrentals.example", true, true, "+1 303 555 0112", "1600 Broadway, Denver, CO 80202", "INV-1012", 8, 38_000m, "USD", "never answers (a large balance)");
        Add("C13", "Golden Gate Garage", B, "US-CA", "America/Los_Angeles", "goldengategarage.example", true, true, "+1 415 555 0113", "900 Van Ness Ave, San Francisco, CA 94109", "INV-1013", 9, 14_500m, "USD", "never answers (above the small-claims limit)");
        Add("C14", "Jane Whitfield", P, "GB-ENG", "Europe/London", "whitfield.example", false, false, null, "27 Orchard Lane, Leeds LS6 2AB", "INV-1014", 6, 640m, "GBP", "a consumer who never answers (pre-action letter first)");
        Add("C15", "Tom Becker", P, "US-MA", "America/New_York", "becker.example", false, false, "+1 617 555 0115", "5 Elm St, Cambridge, MA 02139", "INV-1015", 7, 75m, "USD", "owes too little to pursue");
        Add("C16", "Bayou Catering", B, "US-TX", "America/Chicago", "bayoucatering.example", true, true, "+1 713 555 0116", "600 Travis St, Houston, TX 77002", "INV-1016", 5, 26_400m, "USD", "pays in full after being flagged");
        Add("C17", "Hudson Analytics", B, "US-NY", "America/New_York", "hudsonanalytics.example", true, true, "+1 212 555 0117", "55 Water St, New York, NY 10041", "INV-1017", 13, 1_500m, "USD", "pays by Stripe soon after the due date");
        Add("C18", "Oxford Tutors Ltd", B, "GB-ENG", "Europe/London", "oxfordtutors.example", true, true, "+44 1865 555 018", "9 High St, Oxford OX1 4AA", "INV-1018", 8, 980m, "GBP", "pays by the generic webhook (delivered twice)");
        Add("C19", "Lyon Textiles SAS", B, "FR", "Europe/Paris", "lyontextiles.example", true, true, "+33 4 55 50 01 19", "12 Quai Saint-Antoine, 69002 Lyon", "INV-1019", 6, 4_750m, "EUR", "pays part, then silence");
        Add("C20", "Toronto Tech Repairs", B, "CA-ON", "America/Toronto", "torontotech.example", true, false, "+1 416 555 0120", "100 Queen St W, Toronto, ON M5H 2N2", "INV-1020", 9, 1_250m, "CAD", "pays, charges back (refund), pays again");
        Add("C21", "Sydney Design Studio", B, "AU-NSW", "Australia/Sydney", "sydneydesign.example", true, true, "+61 2 5550 0121", "1 Macquarie St, Sydney NSW 2000", "INV-1021", 10, 2_200m, "AUD", "pays by Stripe after the firm reminder");
        Add("C22", "Pacific Vineyards", B, "US-CA", "America/Los_Angeles", "pacificvineyards.example", true, true, "+1 707 555 0122", "1 Silverado Trail, Napa, CA 94558", "INV-1022", 7, 560m, "USD", "disputes part (credit given) and pays the rest");
        Add("C23", "Munich Motors GmbH", B, "DE", "Europe/Berlin", "munichmotors.example", true, true, "+49 89 555 0123", "Leopoldstraße 10, 80802 München", "INV-1023", 12, 920m, "EUR", "pays by Stripe after the letter");
        Add("C24", "Austin Apparel", B, "US-TX", "America/Chicago", "austinapparel.example", true, true, "+1 512 555 0124", "301 Congress Ave, Austin, TX 78701", "INV-1024", 8, 2_950m, "USD", "never answers");
        Add("C25", "Marcus Lee", P, "US-IL", "America/Chicago", "marcuslee.example", false, false, "+1 773 555 0125", "2100 N Clark St, Chicago, IL 60614", "INV-1025", 13, 310m, "USD", "a consumer who never answers");
        return accounts;
    }

    private static Invoice Invoice(string id, string customer, DateOnly due, decimal amount, string currency) => new(
        new InvoiceId(id),
        new CustomerId(customer),
        id.Replace("INV-", "BW-", StringComparison.Ordinal),
        due.AddDays(-30),
        due,
        new Money(amount, currency),
        Money.Zero(currency));
}
