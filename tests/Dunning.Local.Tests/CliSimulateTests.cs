using System.Runtime.CompilerServices;
using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary><c>dunning simulate</c>: a what-if over a ledger read from CSV, streamed case by case.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CliSimulateTests
{
    [Fact]
    public async Task Simulate_prints_the_same_report_for_the_same_ledger_and_seed()
    {
        using var folder = new TempFolder("dunning-simulate");
        var (customers, invoices) = Sample.Ledger(300, 20261204);
        var args = new[]
        {
            "--data", folder.Combine("data"), "simulate", "--customers", folder.Write("customers.csv", customers),
            "--invoices", folder.Write("invoices.csv", invoices), "--seed", "7",
        };

        var run = await ConsoleCapture.CliAsync(args);

        Assert.True(run.Exit == CommandLine.Ok, run.Err);
        // The report as the simulator printed it before it streamed the ledger (every case kept until the end), since
        // regenerated once for public holidays in the contact window (a few steps moved to the next working day), and once
        // when each case got its own Random (seeded from --seed and its invoice id) so cases run side by side.
        Assert.Equal(Golden("simulate-300-seed-7.txt", run.Out), run.Out);
        Assert.Equal(run.Out, (await ConsoleCapture.CliAsync(args)).Out);
    }

    [Fact]
    public async Task Simulate_of_a_ledger_with_a_problem_deep_inside_names_it_and_simulates_nothing()
    {
        using var folder = new TempFolder("dunning-simulate");
        var (customers, invoices) = Sample.Ledger(300, 20261204);
        var lines = invoices.Split('\n');
        lines[250] = lines[250].Replace(",USD,", ",US$,", StringComparison.Ordinal).Replace(",GBP,", ",US$,", StringComparison.Ordinal).Replace(",EUR,", ",US$,", StringComparison.Ordinal);

        var run = await ConsoleCapture.CliAsync(
            "--data", folder.Combine("data"), "simulate", "--customers", folder.Write("customers.csv", customers),
            "--invoices", folder.Write("invoices.csv", string.Join('\n', lines)));

        Assert.Equal(CommandLine.BadInput, run.Exit);
        Assert.Contains("invoices.csv:251: currency:", run.Err, StringComparison.Ordinal);
        Assert.Contains("nothing was simulated", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Outcomes", run.Out, StringComparison.Ordinal);
    }

    /// <summary>The golden file beside this source file; written (and the test failed once) when it does not exist yet.</summary>
    private static string Golden(string name, string actual, [CallerFilePath] string source = "")
    {
        var file = Path.Combine(Path.GetDirectoryName(source)!, "Golden", name);
        if (!File.Exists(file))
        {
            File.WriteAllText(file, actual);
            Assert.Fail($"Wrote the golden file {file}: review it, then run again.");
        }

        return File.ReadAllText(file);
    }
}
