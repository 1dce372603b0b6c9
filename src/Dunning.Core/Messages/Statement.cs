using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Messages;

/// <summary>
/// A consolidated statement: one message that lists every overdue invoice it carries, each with its own amount, days
/// overdue and step, the total per currency and every way to pay. Its tone is the firmest of the steps it carries.
/// Letters print it; call tasks read it as the script's list. The words are the templates' (<c>statement</c>,
/// <c>statement.text</c>, <c>statement.html</c>) in the customer's language.
/// </summary>
public static class Statement
{
    public static Message Compose(CaseState state, CaseAction.Contact contact, IReadOnlyList<StatementLine> carried, DateOnly today, MessageTemplates? templates = null) =>
        Compose(state, contact, carried, today, templates ?? MessageTemplates.Shipped, unknown: null);

    internal static Message Compose(CaseState state, CaseAction.Contact contact, IReadOnlyList<StatementLine> carried, DateOnly today, MessageTemplates templates, UnknownVariables? unknown)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(contact);
        var lines = new List<StatementLine> { new(state, contact, today) };
        lines.AddRange(carried);
        lines = [.. lines.OrderBy(l => l.Case.Invoice.DueDate).ThenBy(l => l.Case.InvoiceId.Value, StringComparer.Ordinal)];
        var tone = lines.Max(l => l.Contact.Tone);
        var culture = Languages.Culture(state.Customer.Language, state.Policy.Business);
        var language = templates.LanguageOf(culture);
        var totals = lines.GroupBy(l => l.Owed.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Currencies.Format(g.Aggregate(Money.Zero(g.Key), (sum, l) => sum + l.Owed), culture))
            .ToList();
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["greeting"] = string.IsNullOrWhiteSpace(contact.Recipient.Name) ? state.Customer.Name : contact.Recipient.Name,
            ["customer_name"] = state.Customer.Name,
            ["invoice_number"] = state.Invoice.Number,
            ["currency"] = state.Currency,
            ["tone"] = Letters.ToneName(tone),
            ["channel"] = Letters.ChannelName(contact.Channel),
            ["today"] = Letters.LongDate(today, culture, language),
            ["invoice_count"] = lines.Count,
            ["totals"] = totals,
            ["invoice_numbers"] = lines.Select(l => l.Case.Invoice.Number).ToList(),
            ["invoices"] = lines.Select(l => new MessageFacts(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["number"] = l.Case.Invoice.Number,
                ["owed"] = Currencies.Format(l.Owed, culture),
                ["due_date"] = Letters.LongDate(l.Case.Invoice.DueDate, culture, language),
                ["due_iso"] = l.Case.Invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["days_overdue"] = l.DaysOverdue,
                ["tone"] = Letters.ToneName(l.Contact.Tone),
                ["step"] = l.Contact.StepId,
            })).ToList(),
        };
        Letters.AddBusiness(values, state);
        var (subject, text, html) = templates.Compose(language, "statement", "statement.text", "statement.html", new MessageFacts(values), unknown);
        return new Message(subject, text, html!);
    }
}
