namespace Dunning.Jurisdictions;

/// <summary>A jurisdiction file (or override) is not valid. <see cref="Problems"/> lists every problem as "code: field: reason".</summary>
public sealed class JurisdictionDataException : Exception
{
    public JurisdictionDataException(IEnumerable<string> problems)
        : this([.. problems])
    {
    }

    private JurisdictionDataException(IReadOnlyList<string> problems)
        : base($"The jurisdiction data has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
