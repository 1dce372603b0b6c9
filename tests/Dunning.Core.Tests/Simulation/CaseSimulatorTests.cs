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
}
