using System.Text.RegularExpressions;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Plans;
using Dunning.Policies;

namespace Dunning.Messages;

/// <summary>What <see cref="TemplateCheck.Run"/> did: how many messages it rendered and what is wrong.</summary>
public sealed record TemplateCheckResult(int Renders, IReadOnlyList<TemplateProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Renders every message kind in every language, tone and channel, and every statement, through the same code the
/// runner uses, over sample cases that take each branch a template may test (due today, one day and many days late;
/// every fact present and every optional one absent; each ending a final notice may name). A variable that no fact,
/// capture or assignment defines, an unknown filter, a kind that forgets its subject, opening or closing, and a file
/// that does not parse are refused, each with its file and line.
/// </summary>
public static partial class TemplateCheck
{
    private static readonly DateOnly Today = new(2026, 12, 5);

    /// <summary>
    /// The shipped templates with the business's overrides in <paramref name="folder"/>, refused
    /// (<see cref="TemplateException"/>) when the check finds a problem, so nothing is sent from a broken template.
    /// </summary>
    public static MessageTemplates LoadChecked(string? folder)
    {
        var templates = MessageTemplates.Load(folder);
        if (templates.Files.Any(f => f.IsOverride) && Run(templates) is { Ok: false } result)
        {
            throw new TemplateException(result.Problems);
        }

        return templates;
    }

    public static TemplateCheckResult Run(MessageTemplates templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        var problems = new List<TemplateProblem>();
        var renders = 0;
        foreach (var language in Languages.Supported)
        {
            foreach (var sample in Samples(language))
            {
                foreach (var kind in Letters.Templates.Order(StringComparer.Ordinal))
                {
                    foreach (var tone in Enum.GetValues<Tone>())
                    {
                        foreach (var channel in Enum.GetValues<Channel>())
                        {
                            foreach (var nextStep in tone == Tone.Final ? NextSteps : [null])
                            {
                                var request = new MessageRequest(kind, tone, channel, ContactPurpose.Ladder, sample.Recipient, sample.Today, sample.Deadline, sample.Installment);
                                renders++;
                                Render(problems, unknown => Letters.Compose(sample.State, request, templates, unknown, nextStep));
                            }
                        }
                    }
                }

                foreach (var tone in Enum.GetValues<Tone>())
                {
                    foreach (var channel in Enum.GetValues<Channel>())
                    {
                        var (contact, carried) = Consolidated(sample, tone, channel);
                        renders++;
                        Render(problems, unknown => Statement.Compose(sample.State, contact, carried, sample.Today, templates, unknown));
                    }
                }
            }
        }

        return new TemplateCheckResult(renders, [.. problems.Distinct().OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line)]);
    }

    private static readonly string?[] NextSteps = ["small-claims", "collection-agency", "none"];

    private static void Render(List<TemplateProblem> problems, Func<UnknownVariables, Message> render)
    {
        var unknown = new UnknownVariables();
        try
        {
            render(unknown);
        }
        catch (Exception e) when (e is Fluid.ParseException or InvalidOperationException or ArgumentException or Fluid.FluidException)
        {
            if (unknown.Current is { } file)
            {
                problems.Add(new TemplateProblem(Name(file), LineOf(file, Regex.Match(e.Message, "'([^']+)'").Groups[1].Value), e.Message));
            }
            else
            {
                problems.Add(new TemplateProblem("?", 0, e.Message));
            }
        }

        problems.AddRange(unknown.Problems);
        foreach (var (file, name) in unknown.Found)
        {
            problems.Add(new TemplateProblem(Name(file), LineOf(file, name), $"unknown variable '{name}'"));
        }

        problems.AddRange(UnknownFields(unknown));
    }

    /// <summary>
    /// Fields read of a list's rows inside a loop over it (<c>{% for item in invoices %} … {{ item.nope }}</c>) that no
    /// row has: Liquid would print them empty.
    /// </summary>
    private static IEnumerable<TemplateProblem> UnknownFields(UnknownVariables unknown)
    {
        foreach (var file in unknown.Rendered)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match loop in ForLoop().Matches(file.Source))
            {
                if (!unknown.RowFields.TryGetValue(loop.Groups[2].Value, out var fields))
                {
                    continue;
                }

                var use = new Regex($@"(?<![\w.]){Regex.Escape(loop.Groups[1].Value)}\.(\w+)");
                foreach (Match read in use.Matches(file.Source, loop.Index))
                {
                    var field = read.Groups[1].Value;
                    if (!fields.Contains(field) && !LiquidRowMembers.Contains(field) && seen.Add(field))
                    {
                        var line = file.Source.AsSpan(0, read.Index).Count('\n') + 1;
                        yield return new TemplateProblem(Name(file), line, $"unknown field '{field}' of the rows of '{loop.Groups[2].Value}'");
                    }
                }
            }
        }
    }

    /// <summary>What Liquid itself answers of any row.</summary>
    private static readonly HashSet<string> LiquidRowMembers = new(StringComparer.Ordinal) { "size", "first", "last" };

    [GeneratedRegex(@"\{%-?\s*for\s+(\w+)\s+in\s+(\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex ForLoop();

    private static string Name(TemplateFile file) => file.IsOverride ? file.Origin : file.RelativePath;

    /// <summary>The first line where <paramref name="name"/> is read inside a Liquid tag or output, or 0.</summary>
    internal static int LineOf(TemplateFile file, string name)
    {
        if (name.Length == 0)
        {
            return 0;
        }

        var lines = file.Source.Split('\n');
        var word = new Regex($@"(?<![\w.""']){Regex.Escape(name)}(?![\w""'])");
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match tag in Regex.Matches(lines[i], @"\{\{.*?\}\}|\{%.*?%\}"))
            {
                if (word.IsMatch(tag.Value))
                {
                    return i + 1;
                }
            }
        }

        return 0;
    }

    private sealed record Sample(CaseState State, Recipient Recipient, DateOnly Today, DateOnly? Deadline, Installment? Installment);

    // Due today, one day late and thirty days late; every optional fact present, then every one absent.
    private static IEnumerable<Sample> Samples(string language)
    {
        foreach (var late in new[] { 0, 1, 30 })
        {
            foreach (var full in new[] { true, false })
            {
                var state = Case(language, Today.AddDays(-late), full);
                yield return new Sample(
                    state,
                    new Recipient(full ? "Pat Payables" : string.Empty, "ap@customer.example"),
                    Today,
                    full ? Today.AddDays(14) : null,
                    full ? new Installment(2, Today.AddDays(-3), new Money(300m, state.Currency)) : null);
            }
        }
    }

    private static CaseState Case(string language, DateOnly due, bool full)
    {
        var customer = new Customer(
            new CustomerId("C-CHECK"),
            "Sample Customer Ltd",
            CustomerKind.Business,
            Jurisdiction.Parse("DE"),
            "Europe/Berlin",
            ValueList.Of(new Contact(ContactRole.Billing, "ap@customer.example")),
            Address: full ? "1 Sample Street, Sampletown" : null) { Language = language };
        var invoice = new Invoice(new InvoiceId("INV-CHECK"), customer.Id, "1001", due.AddDays(-30), due, new Money(1234.5m, "EUR"), Money.Zero("EUR"));
        var business = DefaultPolicy.Value.Business;
        business = full
            ? business with
            {
                PaymentsByCurrency = ValueList.Of(new CurrencyPayment("EUR", "https://pay.example/{invoiceNumber}", "IBAN XX00 0000, reference {invoiceNumber}", "Sample Business Ltd", "1 Main Street")),
                Phone = "+49 30 000000",
                Address = "1 Main Street, Sampletown",
                OwnerNote = "Thank you for your business.",
            }
            : business with { PaymentLinkTemplate = null, BankTransfer = null, ChequePayableTo = null, Phone = null, Address = null, OwnerNote = null, ReplyTo = null };
        var policy = DefaultPolicy.Value with { Business = business };
        return CaseState.Open(invoice, customer, policy, JurisdictionCatalog.Default.For(customer.Jurisdiction), new DateTimeOffset(due.AddDays(3).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
    }

    // The sample's own step and three more of the customer's invoices, of each tone up to the statement's.
    private static (CaseAction.Contact Contact, IReadOnlyList<StatementLine> Carried) Consolidated(Sample sample, Tone tone, Channel channel)
    {
        var contact = new CaseAction.Contact("check", ContactPurpose.Ladder, "gentle", channel, ContactRole.Billing, tone, "gentle", sample.Recipient, new Message(string.Empty, string.Empty, string.Empty));
        var carried = new List<StatementLine>();
        foreach (var (late, highest) in new[] { (0, Tone.Friendly), (1, Tone.Firm), (30, Tone.Final) })
        {
            var stepTone = highest < tone ? highest : tone;
            var other = sample.State with { Invoice = sample.State.Invoice with { Id = new InvoiceId($"INV-CHECK-{late}"), Number = $"10{late:00}", DueDate = sample.Today.AddDays(-late) } };
            carried.Add(new StatementLine(other, contact with { Tone = stepTone, StepId = "firm" }, sample.Today));
        }

        return (contact, carried);
    }
}
