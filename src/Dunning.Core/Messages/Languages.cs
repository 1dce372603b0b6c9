using System.Globalization;
using Dunning.Policies;

namespace Dunning.Messages;

/// <summary>
/// The languages messages are written in: an IETF tag whose language is one the shipped message sets cover (en, de, fr,
/// es), with or without a region ("de-AT" reads German, with Austrian amounts and dates). A customer without one is
/// written to in the business's language (<c>business.language</c>, default en).
/// </summary>
public static class Languages
{
    public const string Default = "en";

    public static readonly IReadOnlySet<string> Supported = new SortedSet<string>(StringComparer.Ordinal) { "de", "en", "es", "fr" };

    /// <summary>The tag in its canonical form ("de-DE" for "de-de"), or null when it is not a supported language.</summary>
    public static string? Normalize(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(tag.Trim(), predefinedOnly: true);
            return Supported.Contains(culture.TwoLetterISOLanguageName) ? culture.Name : null;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Why a tag is refused, for an import row or the policy.</summary>
    public static string Problem(string tag) =>
        $"'{tag.Trim()}' is not a supported language: an IETF tag of {string.Join(", ", Supported)} (e.g. de, de-DE, fr-CA, es-MX)";

    /// <summary>The culture a customer's messages are written in: theirs, else the business's, else English.</summary>
    public static CultureInfo Culture(string? customerLanguage, BusinessProfile business)
    {
        ArgumentNullException.ThrowIfNull(business);
        return CultureInfo.GetCultureInfo(Normalize(customerLanguage) ?? Normalize(business.Language) ?? Default);
    }
}
