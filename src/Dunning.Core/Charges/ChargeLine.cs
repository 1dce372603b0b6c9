using Dunning.Common;

namespace Dunning.Charges;

public enum ChargeKind
{
    ContractualFee,
    ContractualInterest,
    StatutoryInterest,
    FixedCompensation,
}

/// <summary>
/// One itemised late charge. Interest lines cover [<see cref="From"/>, <see cref="Through"/>) and never
/// overlap, so no period is charged twice; interest is always simple, on principal only.
/// </summary>
public sealed record ChargeLine(
    ChargeKind Kind,
    Money Amount,
    string Description,
    DateOnly? From = null,
    DateOnly? Through = null,
    decimal? AnnualRatePercent = null);
