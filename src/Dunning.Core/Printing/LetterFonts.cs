using System.Reflection;
using PdfSharp.Fonts;

namespace Dunning.Printing;

/// <summary>
/// PDFsharp 6 finds no system fonts on Linux, so every face comes from here: Lato (SIL Open Font Licence, see
/// Fonts/OFL.txt) embedded in this assembly, so a letter looks the same on every machine and needs nothing installed.
/// </summary>
internal sealed class LetterFonts : IFontResolver
{
    public const string Family = "Lato";

    private static readonly Lock Gate = new();

    /// <summary>Registers the resolver once per process (PDFsharp allows one global resolver).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not LetterFonts)
            {
                GlobalFontSettings.FontResolver = new LetterFonts();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        familyName.Equals(Family, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? "Lato-Bold" : italic ? "Lato-Italic" : "Lato-Regular")
            : throw new InvalidOperationException($"Letters are set in {Family} only; font family '{familyName}' is not available.");

    public byte[]? GetFont(string faceName)
    {
        var name = $"Dunning.Printing.Fonts.{faceName}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Font resource '{name}' is missing from Dunning.Core.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
