using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Reports;

/// <summary>
/// "Learn from past experiences": which step converts, how long each customer takes to pay,
/// and how much each kind of ending recovers — computed from the cases' own records.
/// Money is per currency: currencies are never added together.
/// </summary>
public sealed record LearningReport(
    int WithinDays,
    DateTimeOffset? AsOf,
    ValueList<LearningReport.StepConversion> Steps,
    ValueList<LearningReport.CustomerPace> Customers,
    ValueList<LearningReport.OutcomeRecovery> Outcomes)
{
    /// <summary>
    /// Of the cases a step reached, the share paid in full within the report's days of it. <see cref="Pending"/> counts
    /// contacts too recent to judge (their days have not yet passed at the report's instant): they are not in <see cref="Reached"/>.
    /// </summary>
    public sealed record StepConversion(string StepId, int Reached, int Converted, int Pending)
    {
        public decimal Rate => Reached == 0 ? 0m : Math.Round((decimal)Converted / Reached, 4);
    }

    /// <summary>Days from due date to payment in full (the customer's local dates), over a customer's paid cases; null when none is paid.</summary>
    public sealed record CustomerPace(CustomerId CustomerId, string Name, int PaidCases, double? AverageDaysToPay, int OpenCases);

    /// <summary>How the cases that ended one way (or are still open) did, one line per currency.</summary>
    public sealed record OutcomeRecovery(string Outcome, int Cases, ValueList<CurrencyRecovery> ByCurrency);

    /// <summary>Owed: the principal outstanding when the cases opened. Recovered: paid since (here or in the ledger).</summary>
    public sealed record CurrencyRecovery(string Currency, int Cases, Money Owed, Money Recovered)
    {
        public decimal Rate => Owed.IsPositive ? Math.Round(Recovered.Amount / Owed.Amount, 4) : 0m;
    }

    public const int DefaultWithinDays = 14;

    /// <summary>The most days a host accepts for "within": a year.</summary>
    public const int MaxWithinDays = 365;

    /// <param name="cases">Every case's state.</param>
    /// <param name="withinDays">A step converts when the case is paid in full within this many days of it.</param>
    /// <param name="asOf">The report's instant: contacts less than <paramref name="withinDays"/> days before it are pending, not failures. Null: judge every contact.</param>
    public static LearningReport Build(IEnumerable<CaseState> cases, int withinDays = DefaultWithinDays, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var tally = new LearningTally(withinDays, asOf);
        foreach (var state in cases)
        {
            tally.Add(state);
        }

        return tally.Report();
    }

    /// <summary>Where a step sits on the case's ladder (its day offset), so steps list in ladder order, not alphabetically.</summary>
    internal static int LadderDay(CaseState state, string stepId) =>
        state.Policy.Ladder.FirstOrDefault(s => s.Id == stepId)?.DayOffset ?? int.MaxValue;

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Which step converts (paid in full within {WithinDays} days of it)\n");
        if (Steps.Count == 0)
        {
            b.Append("  No step has been performed yet.\n");
        }

        foreach (var s in Steps)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {s.StepId,-20}{s.Reached,6} reached {s.Converted,6} paid {Percent(s.Rate),6}");
            b.Append(s.Pending > 0 ? string.Create(CultureInfo.InvariantCulture, $"  ({s.Pending} too recent to tell)\n") : "\n");
        }

        b.Append("\nSlowest payers (average days from due date to payment in full)\n");
        var paying = Customers.Where(c => c.AverageDaysToPay is not null).Take(10).ToList();
        if (paying.Count == 0)
        {
            b.Append("  No case has been paid yet.\n");
        }

        foreach (var c in paying)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {c.Name,-32}{c.AverageDaysToPay,8:0.0} days over {c.PaidCases} case(s)\n");
        }

        b.Append("\nRecovery by outcome (recovered of the principal owed when the case opened)\n");
        foreach (var o in Outcomes)
        {
            foreach (var m in o.ByCurrency)
            {
                b.Append(CultureInfo.InvariantCulture, $"  {o.Outcome,-20}{m.Cases,6} case(s)  recovered {Currencies.Format(m.Recovered)} of {Currencies.Format(m.Owed)} ({Percent(m.Rate)})\n");
            }
        }

        return b.ToString();
    }

    private static string Percent(decimal rate) => (rate * 100m).ToString("0", CultureInfo.InvariantCulture) + "%";
}
