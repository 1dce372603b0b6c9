using Dunning.Cases;
using static Dunning.Tests.Cases.Given;

namespace Dunning.Tests.Cases;

public class PlanTermsTests
{
    private static readonly DateOnly Today = DueDate.AddDays(20);

    [Theory]
    [InlineData(2, "2026-02-10", int.MaxValue, "intervalDays: 2147483647 must be between 1 and the policy's 31 days.")]
    [InlineData(5_000_000, "2026-02-10", 1, "count: 5000000 must be between 1 and the 12 installments the policy allows.")]
    [InlineData(0, "2026-02-10", 14, "count: 0 must be between 1 and the 12 installments the policy allows.")]
    [InlineData(2, "9999-12-30", 14, "firstDueDate: 9999-12-30 leaves no room for 2 installments.")]
    public void Plan_with_absurd_terms_is_refused_with_the_reason_not_an_overflow(int count, string first, int interval, string problem)
    {
        var (plan, problems) = PlanTerms.Build(Case(), new PlanRequest(null, count, DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), interval), Today);

        Assert.Null(plan);
        Assert.Contains(problem, problems);
    }

    [Fact]
    public void Plan_of_equal_installments_covers_the_balance_with_the_rounding_on_the_last()
    {
        var (plan, problems) = PlanTerms.Build(Case(amount: 1_000m), new PlanRequest(null, 3, Today.AddDays(7), 14), Today);

        Assert.Empty(problems);
        Assert.Equal([333.33m, 333.33m, 333.34m], plan!.Installments.Select(i => i.Amount.Amount));
        Assert.Equal([Today.AddDays(7), Today.AddDays(21), Today.AddDays(35)], plan.Installments.Select(i => i.DueDate));
    }
}
