using Dunning.Cases;

namespace Dunning.Policies;

/// <summary>"Customers' payment history can choose a stricter or gentler ladder": which ladder a new case runs.</summary>
public static class CustomerPace
{
    /// <summary>Days from due date to the payment that cleared each paid or settled case, in the customer's own days.</summary>
    public static IReadOnlyList<int> DaysLate(IEnumerable<CaseState> history) => [.. history.Select(c => c.DaysToPay).OfType<int>()];

    /// <summary>
    /// The policy a new case of this customer runs under: the stricter or gentler ladder when the customer's
    /// record calls for it, else the policy as it is. The case snapshots it, so the choice stays with the case.
    /// </summary>
    public static DunningPolicy For(DunningPolicy policy, IEnumerable<CaseState> history)
    {
        if (policy.Pace is not { } pace)
        {
            return policy;
        }

        var days = DaysLate(history);
        if (days.Count < Math.Max(1, pace.MinimumPaidCases))
        {
            return policy with { Pace = null };
        }

        var average = days.Average();
        var ladder = average >= pace.SlowAverageDaysLate ? pace.SlowLadder
            : average <= pace.PromptAverageDaysLate ? pace.PromptLadder
            : null;
        return ladder is null ? policy with { Pace = null } : policy with { Ladder = ladder, Pace = null };
    }
}
