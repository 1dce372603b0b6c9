using System.Diagnostics;
using System.Globalization;
using Dunning.Local.Cli;
using Dunning.Local.Runner;
using Dunning.Local.Storage;
using Dunning.Local.Tests.Support;
using Dunning.Webhooks;

namespace Dunning.Local.Tests;

/// <summary>
/// Time and the data folder (issue 9, items 9, 10 and 12): one process per folder, a clock that never goes back
/// however many advances race, and a folder left on a simulated clock never silently jumps to real time.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class DataFolderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_second_process_on_a_served_folder_is_refused_and_told_who_holds_it()
    {
        using var folder = new TempFolder("dunning-lock");
        var data = folder.Combine("data");
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);
        var info = DunningProcess.StartInfo("--data", data, "serve", "--urls", "http://127.0.0.1:0", "--simulated-clock", "2026-03-02");
        using var serve = Process.Start(info)!;
        try
        {
            await WaitForLineAsync(serve, "is serving", TimeSpan.FromSeconds(60));

            var (exit, _, err) = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), "--data", data, "run", "--until", "2026-04-01");
            Assert.Equal(CommandLine.BadInput, exit);
            Assert.Contains($"in use by pid {serve.Id.ToString(CultureInfo.InvariantCulture)} (dunning serve) since ", err, StringComparison.Ordinal);

            var second = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), "--data", data, "serve", "--urls", "http://127.0.0.1:0", "--simulated-clock");
            Assert.Equal(CommandLine.BadInput, second.Exit);
            Assert.Contains("(dunning serve)", second.Err, StringComparison.Ordinal);

            // The refused run moved nothing: the clock is where serve put it.
            Assert.Equal(Start, ClockDriver.StoredTime(Database.Open(Path.Combine(data, Database.FileName))));
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }

        // A killed holder leaves the lock to the OS: the next command takes the folder.
        var after = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), "--data", data, "run", "--until", "2026-03-05");
        Assert.True(after.Exit == CommandLine.Ok, after.Err);
    }

    [Fact]
    public void The_lock_names_its_holder_to_a_second_taker_and_is_free_once_released()
    {
        using var folder = new TempFolder("dunning-lock");
        using (FolderLock.Acquire(folder.Path, "import"))
        {
            var refused = Assert.Throws<FolderLockedException>(() => FolderLock.Acquire(folder.Path, "run"));
            Assert.Contains($"pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} (dunning import) since ", refused.Message, StringComparison.Ordinal);
            Assert.Contains(folder.Path, refused.Message, StringComparison.Ordinal);
        }

        using var again = FolderLock.Acquire(folder.Path, "run");
    }

    [Fact]
    public async Task Sixteen_concurrent_advances_make_sixteen_days_and_the_clock_never_goes_back()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", new DateOnly(2026, 2, 20), 480m));

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => host.PostAsync("/api/clock/advance", """{"days":1}""", admin: true)));

        Assert.All(answers, a => Assert.True(a.Code == 200, a.ToString()));
        var stops = answers.Select(a => DateTimeOffset.Parse(a.Body["now"]!.GetValue<string>(), CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 16).Select(d => Start.AddDays(d)), stops);
        Assert.Equal(Start.AddDays(16), host.Clock.Now);
        Assert.Equal(Start.AddDays(16), ClockDriver.StoredTime(host.App.Database));

        // Every advance started where the one before it stopped.
        var spans = answers.Select(a => (From: a.Body["advanced"]!["from"]!.GetValue<DateTimeOffset>(), To: a.Body["advanced"]!["to"]!.GetValue<DateTimeOffset>()))
            .OrderBy(s => s.From).ToList();
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
    }

    [Fact]
    public void The_stored_clock_never_goes_back()
    {
        using var folder = new TempFolder("dunning-clock");
        var db = Database.Open(folder.Combine(Database.FileName));
        ClockDriver.Store(db, Start.AddDays(10));
        ClockDriver.Store(db, Start);
        Assert.Equal(Start.AddDays(10), ClockDriver.StoredTime(db));
    }

    [Fact]
    public async Task Serve_on_a_folder_left_in_the_simulated_past_refuses_real_time_and_resumes_its_clock_when_asked()
    {
        using var folder = new TempFolder("dunning-past");
        var data = folder.Combine("data");
        Assert.Equal(CommandLine.Ok, (await ConsoleCapture.CliAsync(Sample.Init(data))).Exit);
        var run = await ConsoleCapture.CliAsync("--data", data, "run", "--from", "2026-03-02", "--until", "2026-03-20");
        Assert.True(run.Exit == CommandLine.Ok, run.Err);

        var served = await ConsoleCapture.CliAsync("--data", data, "serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(CommandLine.BadInput, served.Exit);
        Assert.Contains("runs on a simulated clock, left at 2026-03-20 00:00 UTC", served.Err, StringComparison.Ordinal);
        Assert.Contains("--simulated-clock", served.Err, StringComparison.Ordinal);

        var stored = new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(stored, ((SimulatedClock)Commands.ServeClock(stored, simulated: true, start: null)).Now);
        Assert.Equal(stored, ((SimulatedClock)Commands.ServeClock(stored, simulated: true, start: Start)).Now);
        Assert.Equal(stored.AddDays(3), ((SimulatedClock)Commands.ServeClock(stored, simulated: true, start: stored.AddDays(3))).Now);
        Assert.Same(TimeProvider.System, Commands.ServeClock(null, simulated: false, start: null));
        Assert.Throws<CliException>(() => Commands.ServeClock(null, simulated: true, start: null));
    }

    [Fact]
    public async Task Implausible_dates_are_refused_at_the_edge_and_nothing_is_written()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", new DateOnly(2026, 2, 20), 480m));

        var never = await host.PostAsync("/api/invoices", "[" + Sample.InvoiceJson("INV-9", "C1", new DateOnly(9999, 12, 31), 100m) + "]", admin: true);
        Assert.True(never.Code == 422, never.ToString());
        Assert.Contains("9999-12-31 is not a plausible date", never.Text, StringComparison.Ordinal);
        Assert.Equal(404, (await host.GetAsync("/api/cases/INV-9")).Code);

        var future = await host.PostAsync("/api/cases/INV-1/payments", """{"amount":100,"currency":"USD","paidAt":"9999-12-31T00:00:00Z","reference":"chq-9"}""");
        Assert.True(future.Code == 422, future.ToString());
        Assert.True(future.IsProblem, future.ToString());
        Assert.Contains("paidAt: 9999-12-31 00:00 UTC is in the future", future.Text, StringComparison.Ordinal);

        await host.RunnerTurnAsync();
        Assert.Equal(480m, await host.PrincipalAsync("INV-1"));

        // The run that used to crash on a 9999-12-31 due date now runs: nothing implausible got in.
        var advanced = await host.PostAsync("/api/clock/advance", """{"days":30}""", admin: true);
        Assert.True(advanced.Code == 200, advanced.ToString());
    }

    [Fact]
    public async Task A_signal_is_applied_no_earlier_than_it_was_received_even_by_a_runner_turn_that_began_before_it()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", new DateOnly(2026, 2, 20), 480m));
        await host.RunnerTurnAsync();
        var turnBegan = host.Clock.Now;

        var advanced = await host.PostAsync("/api/clock/advance", """{"days":30}""", admin: true);
        Assert.True(advanced.Code == 200, advanced.ToString());
        var received = host.Clock.Now;
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"eventId":"evt-77","invoiceId":"INV-1","amount":"480.00","currency":"USD","paidAt":"{{received:yyyy-MM-ddTHH:mm:ssZ}}","reference":"transfer-77"}""");
        var timestamp = received.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var paid = await host.PostAsync("/api/webhooks/payments", body, headers:
        [
            new(GenericWebhook.TimestampHeaderName, timestamp),
            new(GenericWebhook.SignatureHeaderName, GenericWebhook.SignatureHeader(body, LoopbackHost.GenericSecret, timestamp)),
        ]);
        Assert.True(paid.Code is 200 or 202, paid.ToString());

        // serve's background runner began its turn before the advance and only now reaches the case.
        await host.App.Runner.RunDueAsync(turnBegan, CancellationToken.None);

        var view = await host.CaseAsync("INV-1");
        Assert.Equal("closed", view["status"]!["status"]!.GetValue<string>());
        var timeline = view["timeline"]!.AsArray().Select(e => e!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(timeline.Order(), timeline);
        Assert.True(timeline[^1] >= received, $"the case closed at {timeline[^1]:O}, before the payment was received at {received:O}");
        var signal = Assert.Single(view["signals"]!.AsArray());
        Assert.Equal(received, signal!["receivedAt"]!.GetValue<DateTimeOffset>());
    }

    private static async Task WaitForLineAsync(Process process, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"dunning exited before printing '{text}': {await process.StandardError.ReadToEndAsync(cancel.Token)}");
    }
}
