namespace Dunning.Common;

/// <summary>Writing CSV (RFC 4180) for the reports and the evidence bundle.</summary>
public static class Csv
{
    /// <summary>
    /// A text cell: quoted when it holds a comma, a quote or a line break (inner quotes doubled), and, when it starts
    /// with a character a spreadsheet reads as a formula (<c>= + - @</c>, tab, carriage return), prefixed with a single
    /// quote and quoted, as OWASP recommends against CSV injection: a customer named <c>=HYPERLINK(...)</c> stays text.
    /// Numbers the system writes itself are not passed through here.
    /// </summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            return "\"'" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
