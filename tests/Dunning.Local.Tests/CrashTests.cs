using System.Diagnostics;
using System.Text.RegularExpressions;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Storage;
using Dunning.Local.Tests.Support;
using Xunit.Abstractions;

namespace Dunning.Local.Tests;

/// <summary>
/// The real <c>dunning</c> executable, killed with SIGKILL at random points of a <c>run --until</c> and started again
/// until it finishes, ends exactly where an uninterrupted run of the same ledger ends: the same cases, balances and
/// outcomes, the same timelines, and every email, letter, call task and evidence bundle exactly once.
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output)
{
    private const int MinimumKills = 5;
    private const int Seed = 20260310;

    /// <summary>A guard against a hung process, not a speed target: a run takes seconds, but a 2-core CI machine under load once needed over a minute.</summary>
    private static readonly TimeSpan PerRun = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_until_killed_at_random_points_and_restarted_ends_exactly_like_an_uninterrupted_run()
    {
        using var root = new TempFolder("dunning-crash");
        var (customers, invoices) = Sample.Ledger(60, Seed);
        var customersFile = root.Write("customers.csv", customers);
        var invoicesFile = root.Write("invoices.csv", invoices);
        string[] Run(string data) => ["--data", data, "run", "--from", "2026-01-01", "--until", "2026-07-01"];

        async Task ImportAsync(string data)
        {
            var init = await DunningProcess.RunAsync(PerRun, Sample.Init(data));
            Assert.True(init.Exit == 0, init.Err);
            var import = await DunningProcess.RunAsync(PerRun, "--data", data, "import", "--customers", customersFile, "--invoices", invoicesFile);
            Assert.True(import.Exit == 0, import.Err);
        }

        // The uninterrupted run.
        var reference = root.Combine("reference");
        await ImportAsync(reference);
        var watch = Stopwatch.StartNew();
        var uninterrupted = await DunningProcess.RunAsync(PerRun, Run(reference));
        var referenceTime = watch.Elapsed;
        Assert.True(uninterrupted.Exit == 0, uninterrupted.Err);
        output.WriteLine($"uninterrupted run: {referenceTime.TotalMilliseconds:0} ms, {Emails(reference).Length} emails");

        // The same run, killed with SIGKILL at random points (after a random number of new emails, or a random time) and restarted.
        var crashed = root.Combine("crashed");
        await ImportAsync(crashed);
        var random = new Random(Seed);
        var kills = 0;
        var unfinishedAtKill = 0;
        for (var start = 1; ; start++)
        {
            Assert.True(start < 40, "the run never finished");
            using var process = Process.Start(DunningProcess.StartInfo(Run(crashed)))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var killed = false;
            if (kills < MinimumKills + 2)
            {
                var emailsBefore = Emails(crashed).Length;
                var afterEmails = emailsBefore + random.Next(1, 31);
                var afterTime = TimeSpan.FromMilliseconds(random.Next(200, Math.Max(400, (int)(referenceTime.TotalMilliseconds * 0.7))));
                var clock = Stopwatch.StartNew();
                while (!process.HasExited)
                {
                    if (Emails(crashed).Length >= afterEmails || clock.Elapsed >= afterTime)
                    {
                        try
                        {
                            process.Kill(entireProcessTree: true);
                            killed = true;
                        }
                        catch (InvalidOperationException)
                        {
                            // It finished just before.
                        }

                        output.WriteLine($"start {start}: kill after {clock.Elapsed.TotalMilliseconds:0} ms, {Emails(crashed).Length - emailsBefore} new emails");
                        break;
                    }

                    await Task.Delay(1);
                }
            }

            using var timeout = new CancellationTokenSource(PerRun);
            await process.WaitForExitAsync(timeout.Token);
            var (exit, err) = (process.ExitCode, await stderr);
            await stdout;
            if (killed && exit != 0)
            {
                kills++;
                var database = Database.Open(Path.Combine(crashed, Database.FileName));
                var unfinished = database.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM cases WHERE performing IS NOT NULL"));
                unfinishedAtKill += unfinished > 0 ? 1 : 0;
                output.WriteLine($"         {unfinished} effect(s) begun and not finished, clock at {database.GetMeta("simulated_clock") ?? "(not yet set)"}");
                continue;
            }

            Assert.True(exit == 0, $"start {start} failed with {exit}: {err}");
            output.WriteLine($"start {start}: finished");
            break;
        }

        Assert.True(kills >= MinimumKills, $"only {kills} kills landed before the run finished");
        output.WriteLine($"{kills} kills, {unfinishedAtKill} of them with an effect begun and not finished");

        // Same cases, balances, outcomes and timelines.
        var expected = LocalApp.Open(reference);
        var actual = LocalApp.Open(crashed);
        var expectedStates = (await expected.Cases.AllAsync(default)).Select(r => r.State).ToList();
        var actualStates = (await actual.Cases.AllAsync(default)).Select(r => r.State).ToList();
        Assert.Equal(expectedStates.Select(s => s.InvoiceId), actualStates.Select(s => s.InvoiceId));
        foreach (var (want, got) in expectedStates.Zip(actualStates))
        {
            Assert.True(DunningJson.Serialize(want) == DunningJson.Serialize(got),
                $"case {want.InvoiceId} differs.\nuninterrupted:\n{Timeline(want)}\nkilled and restarted:\n{Timeline(got)}");
        }

        var expectedStatus = await expected.Cases.ListAsync(null, default);
        var actualStatus = await actual.Cases.ListAsync(null, default);
        Assert.Equal(expectedStatus.Select(Summary), actualStatus.Select(Summary));
        Assert.Contains(actualStatus, s => s.Status == "flagged");
        Assert.Contains(actualStatus, s => s.Status == "closed");

        // Every effect exactly once: the same emails (byte for byte but the MIME boundary), letters, evidence and call tasks.
        Assert.Equal(Emails(reference), Emails(crashed));
        foreach (var name in Emails(crashed))
        {
            Assert.Equal(Normalized(Path.Combine(reference, "outbox", name)), Normalized(Path.Combine(crashed, "outbox", name)));
        }

        var keys = Emails(crashed).Select(f => KeyHeader().Match(File.ReadAllText(Path.Combine(crashed, "outbox", f))).Groups[1].Value).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        var emailed = actualStates.SelectMany(s => s.History.OfType<CaseEvent.ContactMade>()
            .Where(c => c.Channel == Dunning.Customers.Channel.Email)
            .Select(c => $"{s.InvoiceId}/{c.Key}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(emailed, keys.Order(StringComparer.Ordinal));

        Assert.Equal(Files(reference, "letters"), Files(crashed, "letters"));
        Assert.NotEmpty(Files(crashed, "letters"));
        Assert.Equal(Files(reference, "evidence"), Files(crashed, "evidence"));
        Assert.NotEmpty(Files(crashed, "evidence"));
        Assert.Equal((await expected.Cases.CallTasksAsync(default)).Select(t => t.Key), (await actual.Cases.CallTasksAsync(default)).Select(t => t.Key));

        // Nothing left half-done.
        Assert.False(actual.Runner.HasPendingWork());
        Assert.Equal(0L, actual.Database.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM outbox WHERE status <> 'done'")));
        Assert.Equal(
            expected.Database.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM outbox")),
            actual.Database.Read(c => Sql.Scalar<long>(c, null, "SELECT count(*) FROM outbox")));
    }

    private static string Summary(CaseStatus s) => $"{s.InvoiceId} {s.Status} {s.Stage} {s.Balance} {s.Outcome} {s.NextActionAt:O}";

    private static string Timeline(CaseState state) =>
        string.Join("\n", state.History.Select(e => $"  {e.At:yyyy-MM-dd HH:mm:ss} {CaseStatus.Describe(e)}"));

    private static string[] Emails(string data)
    {
        var outbox = Path.Combine(data, "outbox");
        return Directory.Exists(outbox)
            ? [.. Directory.EnumerateFiles(outbox, "*.eml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];
    }

    /// <summary>Every file under a folder of the data folder (temp folders a kill left behind aside), with its content.</summary>
    private static List<string> Files(string data, string folder)
    {
        var root = Path.Combine(data, folder);
        return [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).StartsWith(".tmp", StringComparison.Ordinal))
            // A PDF carries its creation time and random ids, so its bytes differ run to run: the HTML beside it is compared.
            .Select(f => Path.GetRelativePath(root, f) + "\n" + (f.EndsWith(".pdf", StringComparison.Ordinal) ? "" : File.ReadAllText(f)))
            .Order(StringComparer.Ordinal)];
    }

    private static string Normalized(string file) => Boundary().Replace(File.ReadAllText(file), "--boundary");

    [GeneratedRegex(@"--boundary_\d+_[0-9a-f-]+")]
    private static partial Regex Boundary();

    [GeneratedRegex(@"^X-Dunning-Key: (\S+)\r?$", RegexOptions.Multiline)]
    private static partial Regex KeyHeader();
}
