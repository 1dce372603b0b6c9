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

    private static readonly Message Unwritten = new(string.Empty, string.Empty, string.Empty);

    /// <summary>
    /// Writes the message from <paramref name="templates"/> (the shipped ones unless a host gives the business's),
    /// in the customer's language. A template no step may name (only code can ask for one) is written as the
    /// tone's own message: gentle, firm or final-notice.
    /// </summary>
    public static Message Compose(CaseState state, MessageRequest request, MessageTemplates? templates = null) =>
        Compose(state, request, templates ?? MessageTemplates.Shipped, unknown: null);

    // nextStep: for the template check, the ending a final notice names in place of the one the rules would choose.
    internal static Message Compose(CaseState state, MessageRequest request, MessageTemplates templates, UnknownVariables? unknown, string? nextStep = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        if (templates.Writes == MessageParts.Nothing)
        {
            return Unwritten;
        }

        var culture = Languages.Culture(state.Customer.Language, state.Policy.Business);
        var language = LanguageFor(state, request.Template, templates.LanguageOf(culture));
        var facts = Facts(state, request, culture, language, nextStep);
        var kind = Templates.Contains(request.Template) ? request.Template : request.Tone switch
        {
            Tone.Friendly => "gentle",
            Tone.Firm => "firm",
            Tone.Final => "final-notice",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Tone, "Unknown tone."),
        };
        if (request.Channel == Channel.Call)
        {
            var (subject, script, _) = templates.Compose(language, kind, "call-script", null, facts, unknown);
            return new Message(subject, script, templates.Writes == MessageParts.Whole ? CallHtml(subject, script) : string.Empty);
        }

        var (s, text, html) = templates.Compose(language, kind, "message.text", "message.html", facts, unknown);
        return new Message(s, text, html!);
    }

    /// <summary>
    /// The language folder a message is written from: the customer's, except a letter before claim to a customer
    /// in the United Kingdom, whose statutory form (the Pre-Action Protocol for Debt Claims and its annexes) exists
    /// only in English.
    /// </summary>
    public static string LanguageFor(CaseState state, string template, string language)
    {
        ArgumentNullException.ThrowIfNull(state);
        return template == "letter-of-claim" && state.Customer.Jurisdiction.Country == "GB" ? Languages.Default : language;
    }

    /// <summary>
    /// A day as the reader writes it: "5 December 2026", "5. Dezember 2026", "5 décembre 2026", "5 de diciembre de 2026".
    /// Month names come from the customer's culture when it is of the message's language (Austrian "Jänner"), else
    /// from the language itself (an English letter to a German reader says "December").
    /// </summary>
    public static string LongDate(DateOnly day, CultureInfo culture, string language)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var names = culture.TwoLetterISOLanguageName == language ? culture : CultureInfo.GetCultureInfo(language);
        var pattern = language switch
        {
            "de" => "d. MMMM yyyy",
            "es" => "d 'de' MMMM 'de' yyyy",
            _ => "d MMMM yyyy",
        };
        return day.ToString(pattern, names);
    }

    // The facts a template may read, written for the reader: amounts in the customer's culture, dates in the
    // message's language. docs/local-host.md lists them for the business that edits the templates.
    private static MessageFacts Facts(CaseState state, MessageRequest request, CultureInfo culture, string language, string? nextStep)
    {
        var business = state.Policy.Business;
        var greeting = string.IsNullOrWhiteSpace(request.Recipient.Name) ? state.Customer.Name : request.Recipient.Name;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["greeting"] = greeting,
            ["recipient_name"] = request.Recipient.Name,
            ["customer_name"] = state.Customer.Name,
            ["customer_address"] = state.Customer.Address,
            ["invoice_number"] = state.Invoice.Number,
            ["amount_owed"] = Currencies.Format(state.Balance.Max(Money.Zero(state.Currency)), culture),
            ["currency"] = state.Currency,
            ["due_date"] = LongDate(state.Invoice.DueDate, culture, language),
            ["days_overdue"] = state.Invoice.DaysOverdue(request.Today),
            ["deadline"] = request.Deadline is { } deadline ? LongDate(deadline, culture, language) : null,
            ["today"] = LongDate(request.Today, culture, language),
            ["tone"] = ToneName(request.Tone),
            ["channel"] = ChannelName(request.Channel),
            ["next_step"] = nextStep ?? (request.Tone == Tone.Final ? NextStep(Resolution.Recommend(state, request.Deadline ?? request.Today).Kind) : "none"),
            ["installment_number"] = request.Installment?.Number,
            ["installment_amount"] = request.Installment is { } i ? Currencies.Format(i.Amount, culture) : null,
            ["installment_due"] = request.Installment is { } due ? LongDate(due.DueDate, culture, language) : null,
            ["owner_note"] = request.Channel == Channel.Letter && !string.IsNullOrWhiteSpace(business.OwnerNote) ? business.OwnerNote : null,
        };
        AddBusiness(values, state);
        return new MessageFacts(values);
    }

    /// <summary>The business and payment facts every message has, statements too.</summary>
    internal static void AddBusiness(Dictionary<string, object?> values, CaseState state)
    {
        var business = state.Policy.Business;
        var payment = business.PaymentFor(state.Currency);
        values["business_name"] = business.Name;
        values["owner_name"] = business.OwnerName;
        values["business_email"] = business.Email;
        values["business_phone"] = business.Phone;
        values["business_address"] = business.Address;
        values["contact_line"] = ContactLine(state);
        values["payment_link"] = PaymentLink(state);
        values["bank_transfer"] = payment.BankTransfer?.Replace("{invoiceNumber}", state.Invoice.Number, StringComparison.Ordinal);
        values["cheque_payable_to"] = payment.ChequePayableTo;
        values["cheque_address"] = payment.ChequePayableTo is null ? null : payment.ChequeAddress;
    }

    internal static string ToneName(Tone tone) => tone switch
    {
        Tone.Friendly => "friendly",
        Tone.Firm => "firm",
        Tone.Final => "final",
        _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "Unknown tone."),
    };

    internal static string ChannelName(Channel channel) => channel switch
    {
        Channel.Email => "email",
        Channel.Letter => "letter",
        Channel.Call => "call",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Unknown channel."),
    };

    /// <summary>
    /// The final notice names only the step the policy will really take (the ending the rules would choose at the
    /// deadline): a debt below the minimum worth pursuing is never threatened with an agency or a court.
    /// </summary>
    private static string NextStep(OutcomeKind kind) => kind switch
    {
        OutcomeKind.SmallClaims => "small-claims",
        OutcomeKind.CollectionAgency => "collection-agency",
        OutcomeKind.Paid or OutcomeKind.Settled or OutcomeKind.Credited or OutcomeKind.Voided or OutcomeKind.WrittenOff => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown outcome."),
    };

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

    // A call task's printable form: the script, a paragraph per line.
    private static string CallHtml(string subject, string script)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title></head><body>");
        foreach (var line in script.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(E(line)).Append("</p>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static string ContactLine(CaseState state)
    {
        var business = state.Policy.Business;
        return (business.ReplyTo ?? business.Email) + (business.Phone is { } phone ? " | " + phone : string.Empty);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
