using Dunning.Cases;
using Dunning.Common;
using Dunning.Simulation;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Simulation;

public class CaseSimulatorTests
{
    private static IEnumerable<SimulatedCase> Cases(PaymentModel payer, int count) =>
        Enumerable.Range(0, count).Select(i => new SimulatedCase(
            Case(amount: 100m + (i * 37m)) with { Invoice = Case().Invoice with { Id = new InvoiceId("INV-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Amount = Usd(100m + (i * 37m)) } },
            ValueList<CaseEvent>.Empty,
            payer));

    [Theory]
    [InlineData("typical")]
    [InlineData("prompt")]
    [InlineData("slow")]
    public void Simulated_customers_never_pay_more_than_they_owe(string model)
    {
        var payer = PaymentModel.Named(model)!;
        for (var seed = 1; seed <= 20; seed++)
        {
            var random = new Random(seed);
            foreach (var simulated in Cases(payer, 20))
            {
                var run = CaseSimulator.Drive(simulated, DueDay(240), random);

                Assert.True(run.Final.Overpaid.IsZero, $"seed {seed}, {simulated.Initial.InvoiceId}: overpaid {run.Final.Overpaid}");
            }
        }
    }

    [Fact]
    public void Silent_customers_end_every_case_with_a_flag_or_a_write_off()
    {
        var runs = Cases(PaymentModel.Silent, 10).Select(c => CaseSimulator.Drive(c, DueDay(240), new Random(1))).ToList();

        Assert.All(runs, r => Assert.True(r.Final.Outcome is { } o && (o.IsFlag || o.Kind == OutcomeKind.WrittenOff), $"{r.Final.InvoiceId}: {r.Final.Outcome}"));
    }

    [Fact]
    public void GivenASeed_WhenRunOnAnyNumberOfThreadsInAnyChunks_ThenTheReportIsTheSame()
    {
        var cases = Cases(PaymentModel.Typical, 300).ToList();
        // Each case answers on its own Random from the seed and its invoice id, whichever thread drives it.
        var oneByOne = SimulationReport.From(
            cases.Select(c => CaseSimulator.Drive(c, DueDay(240), new Random(CaseSimulator.CaseSeed(7, c.Initial.InvoiceId)))), DueDay(240));

        foreach (var (threads, chunk) in new[] { (1, CaseSimulator.ChunkSize), (2, CaseSimulator.ChunkSize), (4, 7), (2, 64), (1, 1) })
        {
            var report = CaseSimulator.Run(cases, DueDay(240), seed: 7, threads, chunk);

            Assert.Equal(oneByOne.ToText(), report.ToText());
            Assert.Equal(oneByOne, report);
        }

        Assert.NotEqual(oneByOne.ToText(), CaseSimulator.Run(cases, DueDay(240), seed: 8).ToText());
    }

    [Fact]
    public void A_case_seed_is_the_same_in_every_process()
    {
        // FNV-1a of the id, not string.GetHashCode (randomised per process): these values must never change.
        Assert.Equal(CaseSimulator.CaseSeed(1, new InvoiceId("INV-1")), CaseSimulator.CaseSeed(1, new InvoiceId("INV-1")));
        Assert.NotEqual(CaseSimulator.CaseSeed(1, new InvoiceId("INV-1")), CaseSimulator.CaseSeed(2, new InvoiceId("INV-1")));
        Assert.NotEqual(CaseSimulator.CaseSeed(1, new InvoiceId("INV-1")), CaseSimulator.CaseSeed(1, new InvoiceId("INV-2")));
        Assert.Equal(-551_033_491, CaseSimulator.CaseSeed(1, new InvoiceId("INV-1")));
    }

    [Fact]
    public void A_run_on_no_thread_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CaseSimulator.Run(Cases(PaymentModel.Typical, 5), DueDay(240), seed: 1, parallelism: 0));
        Assert.Equal("parallelism", error.ParamName);
    }
}
