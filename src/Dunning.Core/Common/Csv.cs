namespace Dunning.Common;

/// <summary>Writing CSV (RFC 4180) for the reports and the evidence bundle.</summary>
public static class Csv
{
    /// <summary>The field as is, or in double quotes (inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
