using System.Text.RegularExpressions;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Local.Runner;
using Dunning.Local.Tests.Support;
using Dunning.Policies;
using Xunit.Abstractions;

namespace Dunning.Local.Tests;

/// <summary>
/// Time that passes in one jump (a <c>run --until</c>, a clock advance, a host that was down): every ladder step
/// that fell due on the way is performed once, in ladder order, at its own time where the clock walked there, and
/// never again after a restart.
/// </summary>
public sealed partial class CatchUpTests(ITestOutputHelper output)
{
    /// <summary>Friday 27 February 2026, 10:00 in San Francisco: the courtesy nudge's day for an invoice due on Monday 2 March.</summary>
    private static readonly DateTimeOffset Start = new(2026, 2, 27, 18, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Due = new(2026, 3, 2);

    private static readonly InvoiceId Invoice = new("INV-1");

    private static readonly string[] Ladder = [.. DefaultPolicy.Value.Ladder.Select(s => s.Id)];

    [Fact]
    public async Task Advancing_three_weeks_in_one_jump_performs_each_due_step_once_in_order_on_its_own_day()
    {
        using var folder = new TempFolder("dunning-catchup");
        var app = await OpenWithCaseAsync(folder.Path);
        Assert.Equal(["INV-1+step-courtesy.eml"], Outbox(app));

        var jump = await app.Driver!.AdvanceAsync(Start.AddDays(20));

        Assert.Equal(2, jump.Run.Effects);
        Assert.Equal(["INV-1+step-courtesy.eml", "INV-1+step-firm.eml", "INV-1+step-gentle.eml"], Outbox(app));
        var contacts = await ContactsAsync(app);
        Assert.Equal(["courtesy", "gentle", "firm"], contacts.Select(c => c.StepId));
        Assert.Equal([Due.AddDays(-3), Due.AddDays(3), Due.AddDays(14)], contacts.Select(c => LocalDay(c.At)));
        AssertOneFilePerEmail(app, contacts);

        // Stopped and opened again on the data folder's own clock: advancing to where it already is does nothing.
        var reopened = LocalApp.Open(folder.Path, clock: LocalApp.ClockOf(folder.Path));
        Assert.Equal(Start.AddDays(20), reopened.Clock.GetUtcNow());
        var again = await reopened.Driver!.AdvanceAsync(Start.AddDays(20));
        Assert.Equal(0, again.Run.Effects);
        Assert.Equal(0, again.Run.Transitions);
        Assert.Equal(3, (await ContactsAsync(reopened)).Count);

        // The rest of the ladder in one more jump: every step once, in order, then the case ends.
        await reopened.Driver.AdvanceAsync(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var state = (await reopened.Cases.GetAsync(Invoice, default))!.State;
        Log(state);
        Assert.Equal(Ladder, LadderSteps(state));
        Assert.NotNull(state.Outcome);
        var all = await ContactsAsync(reopened);
        Assert.Equal(all.OrderBy(c => c.At).Select(c => c.Key), all.Select(c => c.Key));
        AssertOneFilePerEmail(reopened, all);
    }

    [Fact]
    public async Task A_host_that_was_down_for_two_weeks_catches_up_without_sending_any_step_twice()
    {
        using var folder = new TempFolder("dunning-catchup");
        await OpenWithCaseAsync(folder.Path);

        // Down from Friday 27 February to Wednesday 18 March (gentle and firm both fell due meanwhile); started again,
        // the runner is asked once at the new time, as `serve` does at start-up.
        var back = new SimulatedClock(new DateTimeOffset(2026, 3, 18, 17, 0, 0, TimeSpan.Zero));
        var app = LocalApp.Open(folder.Path, clock: back);
        var first = await app.Runner.RunDueAsync(back.Now, default);
        var second = await app.Runner.RunDueAsync(back.Now, default);
        Assert.Equal(0, second.Effects);

        var state = (await app.Cases.GetAsync(Invoice, default))!.State;
        Log(state);
        var caughtUp = (await ContactsAsync(app)).Skip(1).ToList();
        Assert.NotEmpty(caughtUp);
        Assert.Equal(first.Effects, caughtUp.Count);
        Assert.All(caughtUp, c => Assert.True(c.At >= back.Now, $"{c.StepId} is dated {c.At:O}, before the host was back"));
        Assert.Equal(Ladder.Take(LadderSteps(state).Count), LadderSteps(state));

        // And on from there to the end of the ladder: still every step exactly once, in order.
        await app.Driver!.AdvanceAsync(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        state = (await app.Cases.GetAsync(Invoice, default))!.State;
        Log(state);
        Assert.Equal(Ladder, LadderSteps(state));
        AssertOneFilePerEmail(app, await ContactsAsync(app));
    }

    /// <summary>A data folder on a simulated clock at <see cref="Start"/>, the ledger imported from CSV, and the daily scan run.</summary>
    private static async Task<LocalApp> OpenWithCaseAsync(string folder)
    {
        var app = LocalApp.Open(folder, clock: new SimulatedClock(Start));
        using (var customers = new StringReader(Sample.Customers(Sample.HarborBakery)))
        using (var invoices = new StringReader(Sample.Invoices(Sample.Invoice("INV-1", "C1", Due, 1_200m))))
        {
            var report = await app.Import.ImportCsvAsync("customers.csv", customers, "invoices.csv", invoices, default);
            Assert.Empty(report.Errors);
        }

        var scan = await app.Driver!.AdvanceAsync(Start);
        Assert.Equal(1, scan.CasesStarted);
        return app;
    }

    private static async Task<List<CaseEvent.ContactMade>> ContactsAsync(LocalApp app) =>
        [.. (await app.Cases.GetAsync(Invoice, default))!.State.History.OfType<CaseEvent.ContactMade>()];

    /// <summary>The ladder steps the case performed or skipped, in the order it did so.</summary>
    private static List<string> LadderSteps(CaseState state) =>
        [.. state.History.Select(e => e switch
        {
            CaseEvent.ContactMade { Purpose: ContactPurpose.Ladder } c => c.StepId,
            CaseEvent.StepSkipped s => s.StepId,
            _ => null,
        }).OfType<string>()];

    /// <summary>Every email in the timeline is exactly one .eml in the outbox, with the same key, and there is no other.</summary>
    private static void AssertOneFilePerEmail(LocalApp app, IEnumerable<CaseEvent.ContactMade> contacts)
    {
        var emails = contacts.Where(c => c.Channel == Channel.Email).Select(c => $"{Invoice}/{c.Key}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(emails.Count, emails.Distinct().Count());
        var keys = Directory.EnumerateFiles(app.OutboxFolder, "*.eml")
            .Select(f => KeyHeader().Match(File.ReadAllText(f)).Groups[1].Value)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(emails, keys);
    }

    private static string[] Outbox(LocalApp app) =>
        [.. Directory.EnumerateFiles(app.OutboxFolder, "*.eml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static DateOnly LocalDay(DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")).DateTime);

    private void Log(CaseState state)
    {
        foreach (var e in state.History)
        {
            output.WriteLine($"{e.At:yyyy-MM-dd HH:mm} {CaseStatus.Describe(e)}");
        }
    }

    [GeneratedRegex(@"^X-Dunning-Key: (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex KeyHeader();
}
