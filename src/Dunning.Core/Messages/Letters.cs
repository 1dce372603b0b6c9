using System.Globalization;
using System.Net;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Plans;
using Dunning.Policies;

namespace Dunning.Messages;

/// <summary>What a message must say: which template, how firmly, to whom, and by when.</summary>
public sealed record MessageRequest(
    string Template,
    Tone Tone,
    Channel Channel,
    ContactPurpose Purpose,
    Recipient Recipient,
    DateOnly Today,
    DateOnly? Deadline = null,
    Installment? Installment = null);

/// <summary>
/// Composes every message a case sends: subject, plain text and HTML. Every message states what is
/// owed, since when, for which invoice and every way to pay. Tone rises from friendly to final and
/// stays calm: no threats, nothing a collector may not say (no claims of legal action that is not
/// intended, no contact of third parties, no false urgency).
/// </summary>
public static class Letters
{
    /// <summary>The templates a ladder step may name.</summary>
    public static readonly IReadOnlySet<string> Templates = new HashSet<string>(StringComparer.Ordinal)
    {
        "courtesy", "gentle", "firm", "invoice-copy", "call", "final-notice", "letter-of-claim", "missed-installment", "promise-missed",
    };

    public static Message Compose(CaseState state, MessageRequest request)
    {
        var facts = new Facts(state, request);
        var (subject, opening, closing) = Wording(facts, request);
        var paragraphs = new List<string> { opening };
        paragraphs.AddRange(AmountLines(facts));
        if (request.Channel == Channel.Call)
        {
            return CallScript(facts, subject, paragraphs);
        }

        var options = PaymentOptions(state);
        var note = request.Channel == Channel.Letter && !string.IsNullOrWhiteSpace(state.Policy.Business.OwnerNote)
            ? state.Policy.Business.OwnerNote
            : null;
        var signOff = request.Tone == Tone.Final || request.Channel == Channel.Letter
            ? $"{state.Policy.Business.OwnerName}, {state.Policy.Business.Name}"
            : $"Accounts team, {state.Policy.Business.Name}";
        var optOut = request.Channel == Channel.Email
            ? $"If you would rather not receive these emails, or you dispute this amount, reply to {state.Policy.Business.Email} and tell us: we will stop or pause at once."
            : null;

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Dear {facts.Greeting},\n\n");
        foreach (var p in paragraphs)
        {
            text.Append(p).Append("\n\n");
        }

        text.Append("How to pay:\n");
        foreach (var option in options)
        {
            text.Append("  - ").Append(option).Append('\n');
        }

        text.Append('\n').Append(closing).Append("\n\n");
        if (note is not null)
        {
            text.Append(note).Append("\n\n");
        }

        text.Append("Kind regards,\n").Append(signOff).Append('\n');
        text.Append(ContactLine(state)).Append('\n');
        if (optOut is not null)
        {
            text.Append("\n--\n").Append(optOut).Append('\n');
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title>")
            .Append("<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;line-height:1.5}.owed{font-size:1.4em;font-weight:bold;background:#fff3b0;padding:.3em .6em}.note{font-style:italic;border-left:3px solid #999;padding-left:1em}.optout{color:#666;font-size:.85em}.pay{display:inline-block;background:#1a5fb4;color:#fff;padding:.6em 1.2em;border-radius:.3em;text-decoration:none;font-weight:bold}.contact{color:#444}</style></head><body>");
        if (request.Channel == Channel.Letter)
        {
            html.Append("<p>").Append(E(state.Policy.Business.Name));
            if (state.Policy.Business.Address is { } from)
            {
                html.Append("<br>").Append(E(from));
            }

            html.Append("</p><p>").Append(E(request.Recipient.Name));
            if (state.Customer.Address is { } to)
            {
                html.Append("<br>").Append(E(to));
            }

            html.Append(CultureInfo.InvariantCulture, $"</p><p>{request.Today:d MMMM yyyy}</p>");
        }

        html.Append("<p>Dear ").Append(E(facts.Greeting)).Append(",</p>");
        html.Append("<p>").Append(E(opening)).Append("</p>");
        // The amount line is the highlighted paragraph; the rest (a deadline) follow it once each.
        html.Append("<p class=\"owed\">").Append(E(paragraphs[1])).Append("</p>");
        foreach (var p in paragraphs.Skip(2))
        {
            html.Append("<p>").Append(E(p)).Append("</p>");
        }

        if (request.Channel == Channel.Email && PaymentLink(state) is { } payLink)
        {
            html.Append("<p><a class=\"pay\" href=\"").Append(E(payLink)).Append("\">Pay ").Append(E(facts.Owed)).Append(" now</a></p>");
        }

        html.Append("<p>How to pay:</p><ul>");
        foreach (var option in options)
        {
            html.Append("<li>").Append(E(option)).Append("</li>");
        }

        html.Append("</ul><p>").Append(E(closing)).Append("</p>");
        if (note is not null)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>");
        }

        html.Append("<p>Kind regards,<br>").Append(E(signOff)).Append("</p>");
        html.Append("<p class=\"contact\">").Append(E(ContactLine(state))).Append("</p>");
        if (optOut is not null)
        {
            html.Append("<p class=\"optout\">").Append(E(optOut)).Append("</p>");
        }

        html.Append("</body></html>");
        return new Message(subject, text.ToString(), html.ToString());
    }

    // Amounts are written in the customer's locale (their language, else the business's); dates stay English
    // words, as the sentences around them are English.
    private sealed record Facts(string Greeting, string Number, string Owed, string Due, int DaysOverdue, string? Deadline, string Business, OutcomeKind NextStep, CultureInfo Culture)
    {
        public Facts(CaseState state, MessageRequest request)
            : this(
                string.IsNullOrWhiteSpace(request.Recipient.Name) ? state.Customer.Name : request.Recipient.Name,
                state.Invoice.Number,
                Currencies.Format(state.Balance.Max(Money.Zero(state.Currency)), Languages.Culture(state.Customer.Language, state.Policy.Business)),
                state.Invoice.DueDate.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                state.Invoice.DaysOverdue(request.Today),
                request.Deadline?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                state.Policy.Business.Name,
                request.Tone == Tone.Final ? Resolution.Recommend(state, request.Deadline ?? request.Today).Kind : OutcomeKind.WrittenOff,
                Languages.Culture(state.Customer.Language, state.Policy.Business))
        {
        }

        public string Overdue => DaysOverdue switch
        {
            0 => $"due on {Due}",
            1 => $"1 day overdue (it was due on {Due})",
            var d => $"{d} days overdue (it was due on {Due})",
        };
    }

    // Subject, opening paragraph and closing paragraph per template. The tone column of the ladder
    // only chooses between templates written for it; unknown templates fall back to the tone's words.
    private static (string Subject, string Opening, string Closing) Wording(Facts f, MessageRequest r)
    {
        var by = f.Deadline is { } d ? $" by {d}" : string.Empty;
        return r.Template switch
        {
            "courtesy" => (
                $"Invoice {f.Number} falls due on {f.Due}",
                $"A friendly note that invoice {f.Number} from {f.Business} falls due on {f.Due}. If it is already on its way, thank you and please ignore this message.",
                "If anything on the invoice looks wrong, just reply and we will sort it out."),
            "gentle" => (
                $"Reminder: invoice {f.Number} is now overdue",
                $"Our records show that invoice {f.Number} is {f.Overdue}. It is easy to miss an invoice, so this is just a reminder.",
                "If you have already paid, thank you, and please let us know so we can match your payment. If something is wrong with the invoice or what we delivered, reply and tell us."),
            "firm" => (
                $"Second reminder: invoice {f.Number} is {f.DaysOverdue} days overdue",
                $"We wrote to you earlier about invoice {f.Number}, which is {f.Overdue}, and we have not yet received payment. Please pay the amount below.",
                "If you cannot pay in full now, reply to us: we can agree a payment plan. If you believe the amount is not owed, tell us why and we will look into it."),
            "invoice-copy" => (
                $"Copy of unpaid invoice {f.Number}",
                $"Enclosed is a copy of invoice {f.Number}, which is {f.Overdue}. Our earlier reminders have gone unanswered, so we are writing to you directly.",
                "Please arrange payment, or contact us to agree a plan or to tell us about any problem with the invoice."),
            "final-notice" => (
                $"Final notice: invoice {f.Number}",
                $"This is our final notice about invoice {f.Number}, which is {f.Overdue}. Please pay the full amount.",
                FinalNoticeClosing(f, by)),
            "letter-of-claim" => (
                $"Letter before claim: invoice {f.Number}",
                $"We are writing before starting court proceedings about the debt below, arising from invoice {f.Number}, which is {f.Overdue}. Please pay, or reply with a proposal or the reasons you dispute it{by}.",
                $"If you reply{by} we will not start proceedings while we consider your response. You may wish to seek independent advice, for example from a free debt advice service. If we have not heard from you{by}, we may start court proceedings without further notice."),
            "missed-installment" => (
                $"Missed installment on your plan for invoice {f.Number}",
                r.Installment is { } i
                    ? $"Installment {i.Number} of your payment plan for invoice {f.Number}, {Currencies.Format(i.Amount, f.Culture)} due on {i.DueDate.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}, has not arrived. Please pay it."
                    : $"An installment of your payment plan for invoice {f.Number} has not arrived. Please pay it.",
                "If your circumstances have changed, contact us and we will look at the plan with you. If further installments are missed, the plan ends and the full balance becomes due."),
            "promise-missed" => (
                $"Your promised payment for invoice {f.Number}",
                r.Installment is { } p
                    ? $"You told us you would pay {Currencies.Format(p.Amount, f.Culture)} towards invoice {f.Number} by {p.DueDate.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}, and we have not received it."
                    : $"You told us you would pay towards invoice {f.Number}, and we have not received it.",
                "Please pay now, or contact us to agree a plan that works for you."),
            "call" => (
                $"Call about invoice {f.Number}",
                $"I'm calling from {f.Business} about invoice {f.Number}, which is {f.Overdue}, and we haven't received payment.",
                "Ask whether there is a problem with the invoice or what was delivered; offer a payment plan if they cannot pay in full."),
            _ => r.Tone switch
            {
                Tone.Friendly => ($"Reminder: invoice {f.Number}", $"A reminder that invoice {f.Number} is {f.Overdue}.", "If anything is wrong, reply and tell us."),
                Tone.Firm => ($"Invoice {f.Number} is overdue", $"Invoice {f.Number} is {f.Overdue}. Please pay the amount below.", "Contact us if you need a payment plan or dispute the amount."),
                Tone.Final => ($"Final notice: invoice {f.Number}", $"This is our final notice about invoice {f.Number}, which is {f.Overdue}. Please pay the full amount.", FinalNoticeClosing(f, by)),
                _ => throw new ArgumentOutOfRangeException(nameof(r), r.Tone, "Unknown tone."),
            },
        };
    }

    /// <summary>
    /// The final notice names only the step the policy will really take (the ending the rules would choose at the
    /// deadline): a debt below the minimum worth pursuing is never threatened with an agency or a court.
    /// </summary>
    private static string FinalNoticeClosing(Facts f, string by) => f.NextStep switch
    {
        OutcomeKind.SmallClaims =>
            $"If we have not received payment or heard from you{by}, we intend to file a small claim to recover it. We would much rather settle it with you directly: if you need a payment plan or dispute the amount, contact us before then.",
        OutcomeKind.CollectionAgency =>
            $"If we have not received payment or heard from you{by}, we intend to pass this debt to a collection agency to recover it. We would much rather settle it with you directly: if you need a payment plan or dispute the amount, contact us before then.",
        _ => $"If you need a payment plan or dispute the amount, contact us{by}: we would much rather settle this with you directly.",
    };

    private static IEnumerable<string> AmountLines(Facts facts)
    {
        yield return $"Amount owed: {facts.Owed} (invoice {facts.Number}, due {facts.Due}).";
        if (facts.Deadline is { } deadline)
        {
            yield return $"Please pay by {deadline}.";
        }
    }

    /// <summary>
    /// The invoice's own payment link (the policy's URL template for the invoice's currency, with the invoice number,
    /// id, amount owed and currency filled in, each URL-encoded), or null when the business has none.
    /// </summary>
    public static string? PaymentLink(CaseState state)
    {
        var template = state.Policy.Business.PaymentFor(state.Currency).PaymentLinkTemplate;
        return template?
            .Replace("{invoiceNumber}", Uri.EscapeDataString(state.Invoice.Number), StringComparison.Ordinal)
            .Replace("{invoiceId}", Uri.EscapeDataString(state.InvoiceId.Value), StringComparison.Ordinal)
            .Replace("{amount}", state.StillOwed.Amount.ToString("0.00", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{currency}", state.Currency, StringComparison.Ordinal);
    }

    /// <summary>Every way to pay in the invoice's currency that the business has set up, with the invoice number filled in.</summary>
    public static IReadOnlyList<string> PaymentOptions(CaseState state)
    {
        var business = state.Policy.Business;
        var payment = business.PaymentFor(state.Currency);
        var options = new List<string>();
        if (PaymentLink(state) is { } link)
        {
            options.Add("Online: " + link);
        }

        if (payment.BankTransfer is { } bank)
        {
            options.Add($"Bank transfer ({state.Currency}): " + bank.Replace("{invoiceNumber}", state.Invoice.Number, StringComparison.Ordinal));
        }

        if (payment.ChequePayableTo is { } payee)
        {
            options.Add($"Cheque payable to {payee}" + (payment.ChequeAddress is { } address ? $", posted to {address}" : string.Empty) + $", with invoice number {state.Invoice.Number} on the back");
        }

        if (options.Count == 0)
        {
            options.Add($"Contact {business.Email}" + (business.Phone is { } phone ? $" or {phone}" : string.Empty) + " for payment details");
        }

        return options;
    }

    private static Message CallScript(Facts facts, string subject, List<string> paragraphs)
    {
        // The reason comes first: a person answering a call about a debt must hear who is calling and why.
        var text = new StringBuilder();
        text.Append("Say first: ").Append(paragraphs[0]).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Ask for {facts.Greeting}; discuss the debt only with them.\n\n");
        text.Append(paragraphs[1]).Append("\n\n");
        text.Append("Then:\n");
        text.Append("  1. Ask whether there is any problem with the invoice or what was delivered. If so, record a dispute: contact pauses.\n");
        text.Append("  2. Ask when they can pay. A date is a promise to pay; record it.\n");
        text.Append("  3. If they cannot pay in full, offer a payment plan within the policy's limits.\n");
        text.Append("  4. If they ask not to be called again, record a cease request for calls.\n");
        text.Append("Stay calm and courteous. Do not discuss the debt with anyone but the customer.\n");
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title></head><body>");
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(E(line)).Append("</p>");
        }

        return new Message(subject, text.ToString(), html.Append("</body></html>").ToString());
    }

    private static string ContactLine(CaseState state)
    {
        var business = state.Policy.Business;
        return (business.ReplyTo ?? business.Email) + (business.Phone is { } phone ? " | " + phone : string.Empty);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
