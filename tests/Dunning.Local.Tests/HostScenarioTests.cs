using System.Collections.Concurrent;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Evidence;
using Dunning.Local.Runner;
using Dunning.Local.Tests.Support;
using Dunning.Messages;
using Dunning.Ports;
using Dunning.Tests.Scenarios;
using Dunning.UseCases;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dunning.Local.Tests;

/// <summary>
/// The hosts' shared scenario set (tests/Dunning.Core.Tests/Scenarios) on the local runner over SQLite in a temp
/// folder, on a simulated clock: the same ending and the same effects, each performed once, as the core's own loop
/// and the Durable Task engine (tests/Dunning.Functions.Tests/Engine).
/// </summary>
public sealed class HostScenarioTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 9, 30, 0, TimeSpan.Zero);

    public static TheoryData<string> Names() => [.. HostScenarios.All(Start).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_scenario_ends_on_the_local_runner_as_on_the_core(string name)
    {
        var scenario = HostScenarios.All(Start).Single(s => s.Name == name);
        var onCore = ScenarioResult.OnCore(scenario);
        using var folder = new TempFolder("dunning-scenario");
        var clock = new SimulatedClock(Start);
        var app = LocalApp.Open(folder.Path, clock: clock);
        var effects = new Effects(app, clock);
        var runner = new CaseRunner(app.Database, new CaseEffects(effects, effects, app.Cases, app.Contacts), NullLogger<CaseRunner>.Instance);
        var id = scenario.Initial.InvoiceId;
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.During))
        {
            effects.During.GetOrAdd(signal.AfterKey!, _ => []).Add(signal.Make);
        }

        Assert.True(await app.Workflows.StartAsync(scenario.Initial, default));
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.Start))
        {
            await app.Workflows.SignalAsync(id, signal.Make(clock.Now), default);
            if (scenario.OneAtATime)
            {
                await runner.RunDueAsync(clock.Now, default);
            }
        }

        await DriveAsync(runner, clock);
        foreach (var signal in scenario.Signals.Where(s => s.Cue == Cue.AfterEnd))
        {
            await app.Workflows.SignalAsync(id, signal.Make(clock.Now), default);
            await DriveAsync(runner, clock);
        }

        var final = (await app.Cases.GetAsync(id, default))!.State;
        var calls = (await app.Cases.CallTasksAsync(default)).Select(t => t.Key[(id.Value.Length + 1)..]);
        Assert.Equal(scenario.Outcome, final.Outcome?.Kind);
        Assert.Equal(scenario.PreviouslyFlaggedAs, final.Outcome?.PreviouslyFlaggedAs);
        Assert.Equal(onCore.Sent, effects.Sent.Keys.Concat(calls).Order(StringComparer.Ordinal));
        Assert.Equal(onCore.Final.Balance, final.Balance);
        Assert.All(effects.Sent, s => Assert.Equal(1, s.Value));
    }

    /// <summary>Runs what is due, then moves the clock to the next wake-up, until the case waits for nothing but a signal or has ended.</summary>
    private static async Task DriveAsync(CaseRunner runner, SimulatedClock clock)
    {
        for (var visits = 0; visits < 1_000; visits++)
        {
            var stats = await runner.RunDueAsync(clock.Now, default);
            Assert.Equal(0, stats.Failed);
            if (runner.NextWakeAt() is not { } wake)
            {
                return;
            }

            clock.Now = wake > clock.Now ? wake : clock.Now;
        }

        Assert.Fail("The case did not settle after 1,000 visits.");
    }

    /// <summary>The app's own outbox and document folder, recording each effect, and sending the signals cued on it while it runs.</summary>
    private sealed class Effects(LocalApp app, SimulatedClock clock) : IMailer, IDocumentStore
    {
        public ConcurrentDictionary<string, List<Func<DateTimeOffset, CaseEvent>>> During { get; } = new();

        /// <summary>Action keys (and "evidence") with how many times each was performed.</summary>
        public ConcurrentDictionary<string, int> Sent { get; } = new();

        public async Task SendAsync(OutgoingEmail email, CancellationToken ct)
        {
            await app.Mailer.SendAsync(email, ct);
            var separator = email.Key.IndexOf('/', StringComparison.Ordinal);
            await DoneAsync(new InvoiceId(email.Key[..separator]), email.Key[(separator + 1)..], ct);
        }

        public async Task<string> SaveLetterAsync(InvoiceId invoice, string key, Message letter, byte[] pdf, CancellationToken ct)
        {
            var location = await app.Documents.SaveLetterAsync(invoice, key, letter, pdf, ct);
            await DoneAsync(invoice, key, ct);
            return location;
        }

        public async Task<string> SaveEvidenceAsync(InvoiceId invoice, EvidenceBundle bundle, CancellationToken ct)
        {
            var location = await app.Documents.SaveEvidenceAsync(invoice, bundle, ct);
            Sent.AddOrUpdate("evidence", 1, (_, n) => n + 1);
            return location;
        }

        private async Task DoneAsync(InvoiceId invoice, string key, CancellationToken ct)
        {
            Sent.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (During.TryRemove(key, out var signals))
            {
                foreach (var signal in signals)
                {
                    await app.Workflows.SignalAsync(invoice, signal(clock.Now), ct);
                }
            }
        }
    }
}
