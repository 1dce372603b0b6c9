using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Simulation;

/// <summary>What a simulated policy would achieve: outcomes, money recovered, messages sent, and which step converts.</summary>
public sealed record SimulationReport(
    int Cases,
    ValueList<SimulationReport.OutcomeCount> Outcomes,
    ValueList<Money> Owed,
    ValueList<Money> Recovered,
    ValueList<SimulationReport.ChannelCount> Messages,
    ValueList<SimulationReport.StepConversion> Conversion,
    int StillOpen,
    ValueList<SimulatedRun> Runs)
{
    public sealed record OutcomeCount(string Outcome, int Cases);

    public sealed record ChannelCount(Channel Channel, int Sent);

    /// <summary>Of the cases a step reached, how many were paid within 14 days of it.</summary>
    public sealed record StepConversion(string StepId, int Reached, int PaidWithin14Days);

    public static SimulationReport From(IReadOnlyList<SimulatedRun> runs, DateTimeOffset until)
    {
        var outcomes = runs
            .GroupBy(r => r.Final.Outcome is { } o ? Names.Of(o.Kind) : "open")
            .OrderByDescending(g => g.Count())
            .Select(g => new OutcomeCount(g.Key, g.Count()))
            .ToValueList();
        var owed = runs.GroupBy(r => r.Final.Currency)
            .Select(g => g.Select(r => r.Final.Invoice.Outstanding).Aggregate((a, b) => a + b))
            .OrderBy(m => m.Currency, StringComparer.Ordinal).ToValueList();
        var recovered = runs.GroupBy(r => r.Final.Currency)
            .Select(g => g.Select(r => r.Final.PaidHere).Aggregate((a, b) => a + b))
            .OrderBy(m => m.Currency, StringComparer.Ordinal).ToValueList();
        var messages = runs.SelectMany(r => r.Contacts).GroupBy(c => c.Channel)
            .OrderBy(g => g.Key).Select(g => new ChannelCount(g.Key, g.Count())).ToValueList();
        var conversion = runs.SelectMany(r => r.Contacts.Select(c => (Run: r, Contact: c)))
            .GroupBy(x => x.Contact.StepId)
            .Select(g => new StepConversion(g.Key, g.Count(), g.Count(x => PaidWithin(x.Run.Final, x.Contact.At, TimeSpan.FromDays(14)))))
            .OrderBy(c => c.StepId, StringComparer.Ordinal)
            .ToValueList();
        return new SimulationReport(runs.Count, outcomes, owed, recovered, messages, conversion, runs.Count(r => r.Final.Outcome is null), runs.ToValueList());
    }

    private static bool PaidWithin(CaseState final, DateTimeOffset from, TimeSpan within) =>
        final.Outcome is { Kind: OutcomeKind.Paid or OutcomeKind.Settled } outcome && outcome.At >= from && outcome.At <= from + within;

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Cases: {Cases}\n\nOutcomes\n");
        foreach (var o in Outcomes)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {o.Outcome,-20}{o.Cases,6}\n");
        }

        b.Append("\nMoney\n");
        foreach (var owed in Owed)
        {
            var recovered = Recovered.FirstOrDefault(r => r.Currency == owed.Currency);
            var share = owed.Amount == 0 ? 0 : recovered.Amount / owed.Amount;
            b.Append(CultureInfo.InvariantCulture, $"  {owed.Currency}: owed {Currencies.Format(owed)}, recovered {Currencies.Format(recovered)} ({share:P0})\n");
        }

        b.Append("\nMessages\n");
        foreach (var m in Messages)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {Names.Of(m.Channel),-20}{m.Sent,6}\n");
        }

        b.Append("\nWhich step converts (paid within 14 days of it)\n");
        foreach (var c in Conversion)
        {
            var share = c.Reached == 0 ? 0 : (double)c.PaidWithin14Days / c.Reached;
            b.Append(CultureInfo.InvariantCulture, $"  {c.StepId,-20}{c.Reached,6} reached {share,8:P0}\n");
        }

        return b.ToString();
    }
}
