using System.Globalization;
using System.Net;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Policies;

namespace Dunning.Messages;

/// <summary>
/// A consolidated statement: one message that lists every overdue invoice it carries, each with its own amount, days
/// overdue and step, the total per currency and every way to pay. Its tone is the firmest of the steps it carries.
/// Letters print it; call tasks read it as the script's list.
/// </summary>
public static class Statement
{
    public static Message Compose(CaseState state, CaseAction.Contact contact, IReadOnlyList<StatementLine> carried, DateOnly today)
    {
        var lines = new List<StatementLine> { new(state, contact, today) };
        lines.AddRange(carried);
        lines = [.. lines.OrderBy(l => l.Case.Invoice.DueDate).ThenBy(l => l.Case.InvoiceId.Value, StringComparer.Ordinal)];
        var tone = lines.Max(l => l.Contact.Tone);
        var business = state.Policy.Business;
        var culture = Languages.Culture(state.Customer.Language, business);
        var greeting = string.IsNullOrWhiteSpace(contact.Recipient.Name) ? state.Customer.Name : contact.Recipient.Name;
        var totals = lines.GroupBy(l => l.Owed.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Currencies.Format(g.Aggregate(Money.Zero(g.Key), (sum, l) => sum + l.Owed), culture))
            .ToList();
        var subject = tone switch
        {
            Tone.Friendly => $"Statement: {lines.Count} invoices to pay, {string.Join(" + ", totals)}",
            Tone.Firm => $"Overdue statement: {lines.Count} invoices, {string.Join(" + ", totals)} unpaid",
            Tone.Final => $"Final notice: {lines.Count} overdue invoices, {string.Join(" + ", totals)}",
            _ => throw new ArgumentOutOfRangeException(nameof(contact), tone, "Unknown tone."),
        };
        var opening = tone switch
        {
            Tone.Friendly => $"Rather than write to you about each one, here are the invoices from {business.Name} that are due or overdue. If they are already paid, thank you, and please ignore this message.",
            Tone.Firm => $"We have written to you before about the invoices below from {business.Name}, and we have not yet received payment. Please pay them, or contact us if you cannot.",
            Tone.Final => $"This is our final notice about the invoices below from {business.Name}. Please pay them, or contact us now to agree a plan or tell us about a problem.",
            _ => throw new ArgumentOutOfRangeException(nameof(contact), tone, "Unknown tone."),
        };
        var closing = tone == Tone.Final
            ? "If we do not hear from you, the invoices marked final may be passed to a collection agency or taken to a small claim. We would much rather settle them with you directly."
            : "If anything on these invoices is wrong, or you need a payment plan, reply and tell us: we will look at it at once.";
        var items = lines.Select(l => Item(l, culture)).ToList();
        var options = Letters.PaymentOptions(state)
            .Append("Please quote the invoice number of each payment: " + string.Join(", ", lines.Select(l => l.Case.Invoice.Number)))
            .ToList();

        var text = new StringBuilder();
        if (contact.Channel == Channel.Call)
        {
            text.Append(CultureInfo.InvariantCulture, $"Say first: I'm calling from {business.Name} about {lines.Count} unpaid invoices.\n\n");
            text.Append(CultureInfo.InvariantCulture, $"Ask for {greeting}; discuss the debt only with them.\n\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Dear {greeting},\n\n").Append(opening).Append("\n\n");
        }

        foreach (var item in items)
        {
            text.Append("  - ").Append(item).Append('\n');
        }

        text.Append("\nTotal owed: ").Append(string.Join(" and ", totals)).Append("\n\nHow to pay:\n");
        foreach (var option in options)
        {
            text.Append("  - ").Append(option).Append('\n');
        }

        text.Append('\n').Append(closing).Append("\n\nKind regards,\n")
            .Append(tone == Tone.Final || contact.Channel == Channel.Letter ? $"{business.OwnerName}, {business.Name}" : $"Accounts team, {business.Name}")
            .Append('\n').Append(business.Email).Append('\n');
        if (contact.Channel == Channel.Email)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n--\nIf you would rather not receive these emails, or you dispute an amount, reply to {business.Email} and tell us: we will stop or pause at once.\n");
        }

        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title>")
            .Append("<style>body{font-family:Georgia,serif;max-width:44em;margin:2em auto;line-height:1.5}td,th{padding:.2em .6em;text-align:left}.owed{font-size:1.3em;font-weight:bold;background:#fff3b0;padding:.3em .6em}</style></head><body>");
        html.Append("<p>Dear ").Append(E(greeting)).Append(",</p><p>").Append(E(opening)).Append("</p>");
        html.Append("<table><thead><tr><th>Invoice</th><th>Due</th><th>Days overdue</th><th>Owed</th><th>Step</th></tr></thead><tbody>");
        foreach (var l in lines)
        {
            html.Append("<tr><td>").Append(E(l.Case.Invoice.Number)).Append("</td><td>")
                .Append(l.Case.Invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(l.DaysOverdue.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(E(Currencies.Format(l.Owed, culture))).Append("</td><td>").Append(E(StepName(l))).Append("</td></tr>");
        }

        html.Append("</tbody></table><p class=\"owed\">Total owed: ").Append(E(string.Join(" and ", totals))).Append("</p><p>How to pay:</p><ul>");
        foreach (var option in options)
        {
            html.Append("<li>").Append(E(option)).Append("</li>");
        }

        html.Append("</ul><p>").Append(E(closing)).Append("</p></body></html>");
        return new Message(subject, text.ToString(), html.ToString());
    }

    private static string Item(StatementLine l, CultureInfo culture) =>
        $"Invoice {l.Case.Invoice.Number}: {Currencies.Format(l.Owed, culture)}, due {l.Case.Invoice.DueDate:yyyy-MM-dd}, " +
        (l.DaysOverdue == 0 ? "not yet overdue" : $"{l.DaysOverdue} days overdue") + $" ({StepName(l)})";

    private static string StepName(StatementLine l) => l.Contact.Tone switch
    {
        Tone.Friendly => $"reminder '{l.Contact.StepId}'",
        Tone.Firm => $"firm reminder '{l.Contact.StepId}'",
        Tone.Final => $"final notice '{l.Contact.StepId}'",
        _ => throw new ArgumentOutOfRangeException(nameof(l), l.Contact.Tone, "Unknown tone."),
    };

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
