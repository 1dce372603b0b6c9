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
    int StillOpen)
{
    public sealed record OutcomeCount(string Outcome, int Cases);

    public sealed record ChannelCount(Channel Channel, int Sent);

    public static SimulationReport From(IEnumerable<SimulatedRun> runs, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var tally = new Tally(until);
        foreach (var run in runs)
        {
            tally.Add(run);
        }

        return tally.Report();
    }

    /// <summary>The report's figures kept run by run, so a simulation holds no case once it is done with it.</summary>
    public sealed class Tally(DateTimeOffset until)
    {
        private readonly Dictionary<string, int> outcomes = new(StringComparer.Ordinal);
        private readonly SortedDictionary<Channel, int> messages = [];
        private readonly LearningTally learning = new(asOf: until);
        private int cases;
        private int stillOpen;

        public void Add(SimulatedRun run)
        {
            ArgumentNullException.ThrowIfNull(run);
            cases++;
            var outcome = run.Final.Outcome is { } o ? Names.Of(o.Kind) : "open";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            stillOpen += run.Final.Outcome is null ? 1 : 0;
            foreach (var contact in run.Contacts)
            {
                messages[contact.Channel] = messages.GetValueOrDefault(contact.Channel) + 1;
            }

            learning.Add(run.Final);
        }

        public SimulationReport Report() => new(
            cases,
            outcomes.OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal).Select(o => new OutcomeCount(o.Key, o.Value)).ToValueList(),
            messages.Select(m => new ChannelCount(m.Key, m.Value)).ToValueList(),
            learning.Report(),
            stillOpen);
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
