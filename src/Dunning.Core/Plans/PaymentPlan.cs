using Dunning.Common;

namespace Dunning.Plans;

public sealed record Installment(int Number, DateOnly DueDate, Money Amount);

/// <summary>An agreed schedule. A promise to pay is a plan of one installment that may not be missed.</summary>
public sealed record PaymentPlan(ValueList<Installment> Installments, bool IsPromise = false)
{
    public Money Total => Installments.Skip(1).Aggregate(Installments[0].Amount, (sum, i) => sum + i.Amount);

    public DateOnly LastDueDate => Installments[^1].DueDate;
}
