using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Local;
using Dunning.Local.Runner;

namespace Dunning.Benchmarks;

/// <summary>
/// The local runner end to end: N overdue invoices on a fresh SQLite data folder, 120 simulated days,
/// every scan, ladder step, .eml, letter, call task and evidence bundle for real. Transitions per
/// second = the run's transitions (printed once per N) divided by the mean time.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class RunnerBenchmarks
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney"];
    private static readonly string[] Places = ["US-NY", "US-CA", "GB-ENG", "DE", "AU-NSW"];
    private static readonly string[] Currencies = ["USD", "USD", "GBP", "EUR", "AUD"];

    private string folder = string.Empty;
    private LocalApp app = null!;

    [Params(100, 1000)]
    public int Cases { get; set; }

    [IterationSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), "dunning-bench-" + Guid.NewGuid().ToString("N"));
        app = Open(folder, Cases);
    }

    /// <summary>A fresh data folder on a simulated clock at <see cref="Start"/> with <paramref name="cases"/> overdue invoices.</summary>
    public static LocalApp Open(string folder, int cases)
    {
        var app = LocalApp.Open(folder, clock: new SimulatedClock(Start));
        var customers = new List<Customer>();
        var invoices = new List<Invoice>();
        for (var i = 0; i < cases; i++)
        {
            var id = new CustomerId("C" + i.ToString(CultureInfo.InvariantCulture));
            var k = i % Zones.Length;
            customers.Add(new Customer(
                id, "Customer " + i.ToString(CultureInfo.InvariantCulture), i % 7 == 0 ? CustomerKind.Consumer : CustomerKind.Business,
                Jurisdiction.Parse(Places[k]), Zones[k],
                ValueList.Of(new Contact(ContactRole.Billing, $"ap{i}@example.com"), new Contact(ContactRole.Owner, $"owner{i}@example.com")),
                Phone: "+1 555 0100", Address: "1 Main Street"));
            var due = DateOnly.FromDateTime(Start.UtcDateTime).AddDays(-(i % 40));
            invoices.Add(new Invoice(
                new InvoiceId("I" + i.ToString(CultureInfo.InvariantCulture)), id, "N" + i.ToString(CultureInfo.InvariantCulture),
                due.AddDays(-30), due, new Money(150m + (i % 50 * 97m), Currencies[k]), Money.Zero(Currencies[k])));
        }

        app.Ledger.UpsertAsync(customers, invoices, CancellationToken.None).GetAwaiter().GetResult();
        return app;
    }

    [IterationCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Description = "120 simulated days")]
    public int Run()
    {
        var result = app.Driver!.AdvanceAsync(Start.AddDays(120)).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// {Cases} cases: {result.Run.Transitions} transitions, {result.Run.Effects} effects, {result.Scans} scans"));
        return result.Run.Transitions;
    }
}
