using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;

namespace Dunning.Reports;

/// <summary>
/// "Learn from past experiences": which step converts, how long each customer takes to pay,
/// and how much each kind of ending recovers — computed from the cases' own records.
/// </summary>
public sealed record LearningReport(
    ValueList<LearningReport.StepConversion> Steps,
    ValueList<LearningReport.CustomerPace> Customers,
    ValueList<LearningReport.OutcomeRecovery> Outcomes)
{
    /// <summary>Of the cases a step reached, the share paid in full within <see cref="WithinDays"/> days of it.</summary>
    public sealed record StepConversion(string StepId, int Reached, int Converted, int WithinDays)
    {
        public decimal Rate => Reached == 0 ? 0m : Math.Round((decimal)Converted / Reached, 4);
    }

    /// <summary>Days from due date to payment in full, over a customer's paid cases.</summary>
    public sealed record CustomerPace(CustomerId CustomerId, string Name, int PaidCases, double AverageDaysToPay, int OpenCases);

    public sealed record OutcomeRecovery(string Outcome, int Cases, ValueList<Money> Owed, ValueList<Money> Recovered);

    public const int DefaultWithinDays = 14;

    public static LearningReport Build(IEnumerable<CaseState> cases, int withinDays = DefaultWithinDays)
    {
        var all = cases.ToList();
        var steps = all
            .SelectMany(c => c.Contacts.Where(x => x.Purpose == ContactPurpose.Ladder).Select(x => (Case: c, Contact: x)))
            .GroupBy(x => x.Contact.StepId)
            .Select(g => new StepConversion(
                g.Key,
                g.Count(),
                g.Count(x => PaidAt(x.Case) is { } paid && paid >= x.Contact.At && paid <= x.Contact.At.AddDays(withinDays)),
                withinDays))
            .OrderBy(s => s.StepId, StringComparer.Ordinal)
            .ToValueList();
        var customers = all
            .GroupBy(c => c.Customer.Id)
            .Select(g =>
            {
                var days = g.Where(c => PaidAt(c) is not null)
                    .Select(c => (double)(DateOnly.FromDateTime(PaidAt(c)!.Value.UtcDateTime).DayNumber - c.Invoice.DueDate.DayNumber))
                    .ToList();
                return new CustomerPace(g.Key, g.First().Customer.Name, days.Count, days.Count == 0 ? 0 : Math.Round(days.Average(), 1), g.Count(c => c.Outcome is null));
            })
            .OrderByDescending(c => c.AverageDaysToPay)
            .ToValueList();
        var outcomes = all
            .GroupBy(c => c.Outcome is { } o ? Names.Of(o.Kind) : "open")
            .Select(g => new OutcomeRecovery(g.Key, g.Count(), SumByCurrency(g.Select(c => c.Invoice.Outstanding)), SumByCurrency(g.Select(c => c.PaidHere))))
            .OrderBy(o => o.Outcome, StringComparer.Ordinal)
            .ToValueList();
        return new LearningReport(steps, customers, outcomes);
    }

    private static DateTimeOffset? PaidAt(CaseState state) =>
        state.Outcome is { Kind: OutcomeKind.Paid or OutcomeKind.Settled } outcome ? outcome.At : null;

    private static ValueList<Money> SumByCurrency(IEnumerable<Money> amounts) =>
        amounts.GroupBy(m => m.Currency)
            .Select(g => g.Aggregate((a, b) => a + b))
            .OrderBy(m => m.Currency, StringComparer.Ordinal)
            .ToValueList();

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Which step converts (paid in full within {Steps.FirstOrDefault()?.WithinDays ?? DefaultWithinDays} days)\n");
        foreach (var s in Steps)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {s.StepId,-20}{s.Reached,6} reached {s.Rate,8:P0}\n");
        }

        b.Append("\nSlowest payers (average days from due date to payment)\n");
        foreach (var c in Customers.Where(c => c.PaidCases > 0).Take(10))
        {
            b.Append(CultureInfo.InvariantCulture, $"  {c.Name,-32}{c.AverageDaysToPay,8:0.0} days over {c.PaidCases} case(s)\n");
        }

        b.Append("\nRecovery by outcome\n");
        foreach (var o in Outcomes)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {o.Outcome,-20}{o.Cases,6} case(s), recovered {string.Join(", ", o.Recovered.Select(Currencies.Format))} of {string.Join(", ", o.Owed.Select(Currencies.Format))}\n");
        }

        return b.ToString();
    }
}
