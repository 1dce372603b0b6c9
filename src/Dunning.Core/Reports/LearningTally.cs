using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Reports;

/// <summary>
/// The figures of a <see cref="LearningReport"/>, kept as cases are added one at a time: a ledger of any size is
/// reported on without holding its cases, in memory that grows with its customers, steps and currencies only.
/// </summary>
public sealed class LearningTally
{
    private readonly int withinDays;
    private readonly DateTimeOffset? asOf;
    private readonly Dictionary<string, Step> steps = new(StringComparer.Ordinal);
    private readonly Dictionary<CustomerId, Payer> customers = [];
    private readonly Dictionary<int, Dictionary<string, Recovery>> outcomes = [];

    public LearningTally(int withinDays = LearningReport.DefaultWithinDays, DateTimeOffset? asOf = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(withinDays);
        (this.withinDays, this.asOf) = (withinDays, asOf);
    }

    public void Add(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var within = TimeSpan.FromDays(withinDays);
        var paidInFullAt = state.PaidInFullAt;
        foreach (var contact in state.Contacts)
        {
            if (contact.Purpose != ContactPurpose.Ladder)
            {
                continue;
            }

            if (!steps.TryGetValue(contact.StepId, out var step))
            {
                steps[contact.StepId] = step = new Step();
            }

            step.Order = Math.Min(step.Order, LearningReport.LadderDay(state, contact.StepId));
            if (asOf is { } now && contact.At + within > now)
            {
                step.Pending++;
                continue;
            }

            step.Reached++;
            if (paidInFullAt is { } paid && paid >= contact.At && paid <= contact.At + within)
            {
                step.Converted++;
            }
        }

        if (!customers.TryGetValue(state.Customer.Id, out var payer))
        {
            customers[state.Customer.Id] = payer = new Payer(state.Customer.Name, state.OpenedAt);
        }
        else if (state.OpenedAt > payer.LatestOpenedAt)
        {
            (payer.Name, payer.LatestOpenedAt) = (state.Customer.Name, state.OpenedAt);
        }

        if (state.DaysToPay is { } days)
        {
            (payer.PaidCases, payer.TotalDays) = (payer.PaidCases + 1, payer.TotalDays + days);
        }

        if (state.Outcome is null)
        {
            payer.OpenCases++;
        }

        var kind = state.Outcome is { } outcome ? (int)outcome.Kind : -1;
        if (!outcomes.TryGetValue(kind, out var byCurrency))
        {
            outcomes[kind] = byCurrency = new(StringComparer.Ordinal);
        }

        if (!byCurrency.TryGetValue(state.Currency, out var recovery))
        {
            byCurrency[state.Currency] = recovery = new Recovery(Money.Zero(state.Currency), Money.Zero(state.Currency));
        }

        (recovery.Cases, recovery.Owed, recovery.Recovered) = (recovery.Cases + 1, recovery.Owed + state.OwedAtOpen, recovery.Recovered + state.Recovered);
    }

    public LearningReport Report()
    {
        var stepList = steps
            .OrderBy(s => s.Value.Order)
            .ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new LearningReport.StepConversion(s.Key, s.Value.Reached, s.Value.Converted, s.Value.Pending))
            .ToValueList();
        var customerList = customers
            .Select(c => new LearningReport.CustomerPace(
                c.Key, c.Value.Name, c.Value.PaidCases, c.Value.PaidCases == 0 ? null : Math.Round(c.Value.TotalDays / c.Value.PaidCases, 1), c.Value.OpenCases))
            .OrderBy(c => c.AverageDaysToPay is null)
            .ThenByDescending(c => c.AverageDaysToPay)
            .ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.CustomerId.Value, StringComparer.Ordinal)
            .ToValueList();
        var outcomeList = outcomes
            .OrderBy(o => o.Key)
            .Select(o => new LearningReport.OutcomeRecovery(
                o.Key >= 0 ? Names.Of((OutcomeKind)o.Key) : "open",
                o.Value.Values.Sum(r => r.Cases),
                o.Value
                    .OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => new LearningReport.CurrencyRecovery(c.Key, c.Value.Cases, c.Value.Owed, c.Value.Recovered))
                    .ToValueList()))
            .ToValueList();
        return new LearningReport(withinDays, asOf, stepList, customerList, outcomeList);
    }

    private sealed class Step
    {
        public int Order { get; set; } = int.MaxValue;

        public int Reached { get; set; }

        public int Converted { get; set; }

        public int Pending { get; set; }
    }

    private sealed class Payer(string name, DateTimeOffset latestOpenedAt)
    {
        public string Name { get; set; } = name;

        public DateTimeOffset LatestOpenedAt { get; set; } = latestOpenedAt;

        public int PaidCases { get; set; }

        public double TotalDays { get; set; }

        public int OpenCases { get; set; }
    }

    private sealed class Recovery(Money owed, Money recovered)
    {
        public int Cases { get; set; }

        public Money Owed { get; set; } = owed;

        public Money Recovered { get; set; } = recovered;
    }
}
