using Dunning.Common;

namespace Dunning.Jurisdictions;

public enum Confidence
{
    /// <summary>From a primary or official source.</summary>
    Verified,

    /// <summary>Two or more independent secondary sources agree.</summary>
    Secondary,

    /// <summary>Sources conflict, only one secondary source, or the effective date is unconfirmed.</summary>
    Uncertain,

    /// <summary>General legal knowledge without a retrieved source: verify before relying on it.</summary>
    Knowledge,
}

/// <summary>Where a legal number comes from. Every number the system acts on carries one.</summary>
public sealed record Provenance(string SourceUrl, DateOnly AsOf, Confidence Confidence, string? Note = null);

/// <summary>
/// A court filing fee for claims up to <see cref="UpTo"/> (null = no upper bound): <see cref="Fee"/> plus
/// <see cref="PercentAbove"/> percent of the part of the claim above the previous band's <see cref="UpTo"/>.
/// </summary>
public sealed record FeeBand(decimal? UpTo, decimal Fee, decimal? PercentAbove = null);

public sealed record SmallClaimsRule(
    string Court,
    decimal LimitNaturalPerson,
    decimal LimitEntity,
    string Currency,
    ValueList<FeeBand> FilingFees,
    Provenance Source,
    decimal? ConsumerCreditLimit = null,
    bool AssigneesBarred = false,
    string? Notes = null,
    Provenance? FeesSource = null)
{
    /// <summary>Where the filing fees come from when it is not <see cref="Source"/> (fees are often less certain than limits).</summary>
    public Provenance FeesProvenance => FeesSource ?? Source;
}

public sealed record LimitationRule(int WrittenContractYears, int OpenAccountYears, Provenance Source, string? Notes = null);

/// <summary>Fixed compensation of <see cref="Amount"/> for a debt below <see cref="DebtBelow"/> (null = any larger debt).</summary>
public sealed record CompensationBand(decimal? DebtBelow, decimal Amount);

/// <summary>Statutory late-payment interest and fixed compensation between businesses (UK 1998 Act, EU 2011/7).</summary>
public sealed record StatutoryLatePayment(
    string Law,
    decimal ReferenceRatePercent,
    decimal MarginPercent,
    string Currency,
    ValueList<CompensationBand> FixedCompensation,
    Provenance Source)
{
    public decimal AnnualRatePercent => ReferenceRatePercent + MarginPercent;
}

/// <summary>A letter that must precede a claim, and how long the debtor has to answer it.</summary>
public sealed record PreActionRule(
    string Name,
    bool AppliesToConsumers,
    bool AppliesToBusinesses,
    int ResponseDays,
    Provenance Source,
    int? MaxAgeDays = null);

/// <summary>
/// What the law of one jurisdiction says about collecting a debt. Snapshotted into each case
/// when it opens, so a case decides by the facts it started with.
/// </summary>
public sealed record JurisdictionFacts(
    string Code,
    string Name,
    SmallClaimsRule? SmallClaims,
    LimitationRule? Limitation,
    StatutoryLatePayment? Statutory,
    PreActionRule? PreAction)
{
    public static JurisdictionFacts Unknown(string code) => new(code, code, null, null, null, null);
}
