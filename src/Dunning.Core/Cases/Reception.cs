namespace Dunning.Cases;

/// <summary>What became of a signal a case received (<see cref="CaseDecider.Receive"/>).</summary>
public abstract record Reception
{
    private Reception()
    {
    }

    /// <summary>
    /// The signal is folded into <paramref name="State"/>. <paramref name="Reopens"/>: the case had ended and still
    /// acts on it (a late payment settles a flagged case; a refund re-opens a paid one): a host whose run of the case
    /// has finished must run it again from <paramref name="State"/>, which records the new ending or resumes the ladder.
    /// </summary>
    public sealed record Applied(CaseState State, bool Reopens) : Reception;

    /// <summary>Not applied, and why: a repeat (<see cref="CommandResult.Unchanged"/>) or refused now.</summary>
    public sealed record NotApplied(CommandResult Reason) : Reception;
}
