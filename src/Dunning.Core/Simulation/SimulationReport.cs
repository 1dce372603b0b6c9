using System.Globalization;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Reports;

namespace Dunning.Simulation;

/// <summary>
/// What a simulated policy would achieve: outcomes and messages, and the same learning figures as for real cases
/// (which step converts, days to pay, recovery by outcome per currency), computed by <see cref="LearningReport"/>.
/// </summary>
public sealed record SimulationReport(
    int Cases,
    ValueList<SimulationReport.OutcomeCount> Outcomes,
    ValueList<SimulationReport.ChannelCount> Messages,
    LearningReport Learning,
    int StillOpen,
    ValueList<SimulatedRun> Runs)
{
    public sealed record OutcomeCount(string Outcome, int Cases);

    public sealed record ChannelCount(Channel Channel, int Sent);

    public static SimulationReport From(IReadOnlyList<SimulatedRun> runs, DateTimeOffset until)
    {
        var outcomes = runs
            .GroupBy(r => r.Final.Outcome is { } o ? Names.Of(o.Kind) : "open")
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new OutcomeCount(g.Key, g.Count()))
            .ToValueList();
        var messages = runs.SelectMany(r => r.Contacts).GroupBy(c => c.Channel)
            .OrderBy(g => g.Key).Select(g => new ChannelCount(g.Key, g.Count())).ToValueList();
        var learning = LearningReport.Build(runs.Select(r => r.Final), asOf: until);
        return new SimulationReport(runs.Count, outcomes, messages, learning, runs.Count(r => r.Final.Outcome is null), runs.ToValueList());
    }

    public string ToText()
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"Cases: {Cases} ({StillOpen} still open at the end)\n\nOutcomes\n");
        foreach (var o in Outcomes)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {o.Outcome,-20}{o.Cases,6}\n");
        }

        b.Append("\nMessages\n");
        foreach (var m in Messages)
        {
            b.Append(CultureInfo.InvariantCulture, $"  {Names.Of(m.Channel),-20}{m.Sent,6}\n");
        }

        return b.Append('\n').Append(Learning.ToText()).ToString();
    }
}
