using Dunning.Common;

namespace Dunning.Cases;

public enum OutcomeKind
{
    Paid,
    Settled,
    Credited,
    Voided,
    WrittenOff,
    SmallClaims,
    CollectionAgency,
}

/// <summary>
/// What the business should do with a case the ladder could not collect, with the numbers behind it.
/// </summary>
public sealed record Recommendation(
    OutcomeKind Kind,
    Money Claim,
    ValueList<string> Reasons,
    string? Court = null,
    Money? FilingFee = null,
    Money? AgencyFee = null,
    DateOnly? LimitationDate = null)
{
    public const string JudgmentCaveat =
        "A court judgment does not guarantee payment: enforcing it may cost more time and money.";
}

public sealed record Outcome(
    OutcomeKind Kind,
    DateTimeOffset At,
    string Reason,
    Recommendation? Recommendation = null,
    OutcomeKind? PreviouslyFlaggedAs = null)
{
    public bool IsFlag => Kind is OutcomeKind.SmallClaims or OutcomeKind.CollectionAgency;
}
