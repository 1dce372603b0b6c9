using System.Text;

namespace Dunning.Common;

/// <summary>Customer-supplied text placed in Markdown documents (the evidence bundle's recommendation).</summary>
public static class Markdown
{
    /// <summary>
    /// The text as literal Markdown: HTML is encoded (a name cannot add a script or a link when the file is rendered),
    /// Markdown punctuation is escaped (it cannot add emphasis, links or headings), and line breaks become spaces (it
    /// cannot start a line of its own).
    /// </summary>
    public static string Text(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var b = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '<' => b.Append("&lt;"),
                '>' => b.Append("&gt;"),
                '&' => b.Append("&amp;"),
                '\r' or '\n' or '\t' => b.Append(' '),
                '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '!' or '|' or '~' => b.Append('\\').Append(c),
                _ when char.IsControl(c) => b,
                _ => b.Append(c),
            };
        }

        return b.ToString();
    }
}
