using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Messages;

namespace Dunning.Printing;

/// <summary>
/// The page's own words — the invoice copy's headings and labels, "Attn:", the letter's date — in the letter's language,
/// and its amounts in the customer's culture: the letter's text comes from the templates in that language, and a German
/// reader should not find an English invoice page behind a German letter. A letter the law wants in English (the
/// Letter of Claim to a UK customer) is English throughout (<see cref="Letters.LanguageFor"/>).
/// </summary>
public sealed record PrintedWords(
    string Language,
    CultureInfo Culture,
    string Invoice,
    string Copy,
    string BillTo,
    string InvoiceNumber,
    string InvoiceDate,
    string DueDate,
    string Description,
    string Quantity,
    string UnitPrice,
    string Amount,
    string Total,
    string AmountDue,
    string Paid,
    string Credited,
    string LateCharges,
    string Attention)
{
    public static readonly PrintedWords English = Of(CultureInfo.GetCultureInfo("en-US"), Languages.Default);

    /// <summary>The words of a letter written from <paramref name="template"/> to the case's customer.</summary>
    public static PrintedWords For(CaseState state, string template)
    {
        ArgumentNullException.ThrowIfNull(state);
        var culture = Languages.Culture(state.Customer.Language, state.Policy.Business);
        return Of(culture, Letters.LanguageFor(state, template, culture.TwoLetterISOLanguageName));
    }

    private static PrintedWords Of(CultureInfo culture, string language) => language switch
    {
        "de" => new(language, culture, "Rechnung", "KOPIE", "Rechnungsempfänger", "Rechnungsnummer", "Rechnungsdatum", "Fällig am",
            "Beschreibung", "Menge", "Einzelpreis", "Betrag", "Summe", "Offener Betrag", "Bezahlt", "Gutgeschrieben", "Verzugskosten", "z. Hd."),
        "fr" => new(language, culture, "Facture", "COPIE", "Facturé à", "Numéro de facture", "Date de facture", "Échéance",
            "Description", "Qté", "Prix unitaire", "Montant", "Total", "Montant dû", "Payé", "Avoir", "Pénalités de retard", "À l'attention de"),
        "es" => new(language, culture, "Factura", "COPIA", "Facturar a", "Número de factura", "Fecha de factura", "Vencimiento",
            "Descripción", "Cant.", "Precio unitario", "Importe", "Total", "Importe pendiente", "Pagado", "Abonado", "Recargos por demora", "A la atención de"),
        _ => new(Languages.Default, culture, "Invoice", "COPY", "Bill to", "Invoice number", "Invoice date", "Due date",
            "Description", "Qty", "Unit price", "Amount", "Total", "Amount due", "Paid", "Credited", "Late payment charges", "Attn:"),
    };

    /// <summary>A day as the letter's reader writes it ("5. Dezember 2026").</summary>
    public string Date(DateOnly day) => Letters.LongDate(day, Culture, Language);

    /// <summary>An amount as the customer writes it ("1.234,50 €").</summary>
    public string Money(Money amount) => Currencies.Format(amount, Culture);
}
