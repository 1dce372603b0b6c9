using Dunning.Cases;
using Dunning.Charges;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;
using CaseResolution = Dunning.Cases.Resolution;

namespace Dunning.Tests.Resolution;

public class ResolutionTests
{
    private static readonly DateOnly Today = new(2026, 4, 1);

    private static readonly ResolutionRules Entity = new(MinimumToPursue: 100m, AgencyCommissionPercent: 25m);

    private static readonly ResolutionRules NaturalPerson = Entity with { Plaintiff = Plaintiff.NaturalPerson };

    [Theory]
    [InlineData("US-CA", 5_000, "entity", OutcomeKind.SmallClaims)]
    [InlineData("US-CA", 6_250, "entity", OutcomeKind.SmallClaims)]
    [InlineData("US-CA", 6_250.01, "entity", OutcomeKind.CollectionAgency)]
    [InlineData("US-CA", 9_000, "entity", OutcomeKind.CollectionAgency)]
    [InlineData("US-CA", 9_000, "natural", OutcomeKind.SmallClaims)]
    [InlineData("US-CA", 12_500.01, "natural", OutcomeKind.CollectionAgency)]
    [InlineData("US-WA", 5_000, "entity", OutcomeKind.SmallClaims)]
    [InlineData("US-WA", 7_500, "entity", OutcomeKind.CollectionAgency)]
    [InlineData("US-WA", 7_500, "natural", OutcomeKind.SmallClaims)]
    [InlineData("US-TX", 19_000, "entity", OutcomeKind.SmallClaims)]
    [InlineData("US-KY", 3_000, "entity", OutcomeKind.CollectionAgency)]
    [InlineData("US-ZZ", 3_000, "entity", OutcomeKind.CollectionAgency)]
    public void TheRecommendation_FollowsTheLimitForThePlaintiff(string code, decimal amount, string plaintiff, OutcomeKind expected)
    {
        var state = CaseBuilder.Case(code, amount, resolution: plaintiff == "entity" ? Entity : NaturalPerson);

        Assert.Equal(expected, CaseResolution.Recommend(state, Today).Kind);
    }

    [Fact]
    public void GivenACalifornia5000DollarClaimByACompany_ThenSmallClaims_WithTheNumbersAndTheirSources()
    {
        var state = CaseBuilder.Case("US-CA", 5_000m);

        var recommendation = CaseResolution.Recommend(state, Today);

        Assert.Equal(OutcomeKind.SmallClaims, recommendation.Kind);
        Assert.Equal(new Money(5_000m, "USD"), recommendation.Claim);
        Assert.Equal("Small Claims Court", recommendation.Court);
        Assert.Equal(new Money(50m, "USD"), recommendation.FilingFee);
        Assert.Equal(new Money(1_250m, "USD"), recommendation.AgencyFee);
        Assert.Equal(new DateOnly(2030, 1, 1), recommendation.LimitationDate);
        Assert.Contains(Recommendation.JudgmentCaveat, recommendation.Reasons);
        Assert.Contains(recommendation.Reasons, r => r.Contains("within the $6,250.00 limit", StringComparison.Ordinal)
            && r.Contains("https://www.marin.courts.ca.gov/small-claims, verified", StringComparison.Ordinal));
        Assert.Contains(recommendation.Reasons, r => r.Contains("filing fee of $50.00", StringComparison.Ordinal)
            && r.Contains("uncertain", StringComparison.Ordinal) && r.Contains("leaves $4,950.00", StringComparison.Ordinal)
            && r.Contains("leaves $3,750.00", StringComparison.Ordinal));
        Assert.Contains(recommendation.Reasons, r => r.Contains("Not time-barred", StringComparison.Ordinal) && r.Contains("2030-01-01", StringComparison.Ordinal));
        Assert.Contains(recommendation.Reasons, r => r.Contains("No more than 2 claims over $2,500", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenACalifornia9000DollarClaimByACompany_ThenAgency_BecauseItIsOverTheEntityLimit()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 9_000m), Today);

        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
        Assert.Equal(new Money(2_250m, "USD"), recommendation.AgencyFee);
        Assert.Contains(recommendation.Reasons, r => r.Contains("above the $6,250.00 limit", StringComparison.Ordinal) && r.Contains("entity plaintiff", StringComparison.Ordinal));
        Assert.DoesNotContain(Recommendation.JudgmentCaveat, recommendation.Reasons);
    }

    [Fact]
    public void GivenAClaimBelowTheMinimum_ThenWriteOff()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 99.99m), Today);

        Assert.Equal(OutcomeKind.WrittenOff, recommendation.Kind);
        Assert.Contains("below the policy's minimum worth pursuing of $100.00", recommendation.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAPerCurrencyMinimum_ThenItIsUsedForThatCurrency()
    {
        var rules = Entity with { MinimumToPursueByCurrency = ValueList.Of(new Money(20_000m, "JPY")) };

        Assert.Equal(OutcomeKind.WrittenOff, CaseResolution.Recommend(CaseBuilder.Case("ZZ", 19_999m, "JPY", resolution: rules), Today).Kind);
        Assert.Equal(OutcomeKind.CollectionAgency, CaseResolution.Recommend(CaseBuilder.Case("ZZ", 20_000m, "JPY", resolution: rules), Today).Kind);
    }

    [Fact]
    public void GivenAnOverpaidCase_ThenTheClaimIsZero_AndItIsWrittenOff()
    {
        var state = CaseBuilder.Case("US-CA", 500m).Paid(600m, new DateOnly(2026, 2, 1));

        var recommendation = CaseResolution.Recommend(state, Today);

        Assert.Equal(Money.Zero("USD"), recommendation.Claim);
        Assert.Equal(OutcomeKind.WrittenOff, recommendation.Kind);
    }

    [Theory]
    [InlineData("2030-01-01", OutcomeKind.SmallClaims)]
    [InlineData("2030-01-02", OutcomeKind.WrittenOff)]
    public void GivenTheLimitationPeriodHasRun_ThenWriteOff_TimeBarred(string today, OutcomeKind expected)
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 5_000m), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, recommendation.Kind);
        Assert.Equal(new DateOnly(2030, 1, 1), recommendation.LimitationDate);
        if (expected == OutcomeKind.WrittenOff)
        {
            Assert.Contains(recommendation.Reasons, r => r.Contains("time-barred and cannot be pursued", StringComparison.Ordinal)
                && r.Contains("4-year", StringComparison.Ordinal) && r.Contains("ended on 2030-01-01", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GivenAPartPayment_ThenTheLimitationClockRestartsFromIt()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP").Paid(100m, new DateOnly(2029, 6, 1));

        Assert.Equal(new DateOnly(2035, 6, 1), CaseResolution.LimitationDate(state));
        Assert.NotEqual(OutcomeKind.WrittenOff, CaseResolution.Recommend(state, new DateOnly(2033, 1, 1)).Kind);
    }

    [Fact]
    public void GivenARefundedPayment_ThenItDoesNotRestartTheClock()
    {
        var state = CaseBuilder.Case("GB-ENG", 5_000m, "GBP").Paid(100m, new DateOnly(2029, 6, 1), "p-9");
        state = state with
        {
            PaidHere = Money.Zero("GBP"),
            History = state.History.Add(new CaseEvent.PaymentRefunded(CaseBuilder.At(new DateOnly(2029, 6, 20)), new Money(100m, "GBP"), "p-9")),
        };

        Assert.Equal(new DateOnly(2032, 1, 1), CaseResolution.LimitationDate(state));
    }

    [Fact]
    public void GivenNoLimitationPeriodOnFile_ThenTheReasonsSaySo_AndThereIsNoDate()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-AK", 5_000m), new DateOnly(2040, 1, 1));

        Assert.Null(recommendation.LimitationDate);
        Assert.Equal(OutcomeKind.SmallClaims, recommendation.Kind);
        Assert.Contains(recommendation.Reasons, r => r.Contains("No limitation period is on file for Alaska", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenNoPostalAddress_ThenAgency_BecauseAClaimMustBeServed()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 5_000m, address: "  "), Today);

        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
        Assert.Contains(recommendation.Reasons, r => r.Contains("no postal address", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenThePolicyPrefersAnAgency_ThenAgency()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 5_000m, resolution: Entity with { PreferAgency = true }), Today);

        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
        Assert.Contains(recommendation.Reasons, r => r.Contains("prefers a collection agency", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(25, 200, OutcomeKind.SmallClaims)]
    [InlineData(10, 200, OutcomeKind.CollectionAgency)]
    [InlineData(10, 300, OutcomeKind.SmallClaims)]
    public void GivenASmallClaim_ThenCourtMustNetAtLeastWhatTheAgencyWould(decimal commission, decimal amount, OutcomeKind expected)
    {
        // California charges $30 up to $1,500: court nets amount - 30, the agency amount * (1 - commission).
        var state = CaseBuilder.Case("US-CA", amount, resolution: Entity with { AgencyCommissionPercent = commission });

        Assert.Equal(expected, CaseResolution.Recommend(state, Today).Kind);
    }

    [Fact]
    public void GivenChargesOnTheCase_ThenTheClaimIncludesThem_AndIsComparedWithTheLimit()
    {
        var state = CaseBuilder.Case("US-CA", 6_200m).Charged([new ChargeLine(ChargeKind.ContractualFee, new Money(100m, "USD"), "Late fee")]);

        var recommendation = CaseResolution.Recommend(state, Today);

        Assert.Equal(new Money(6_300m, "USD"), recommendation.Claim);
        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
    }

    [Theory]
    [InlineData(CustomerKind.Consumer, 5_000, OutcomeKind.CollectionAgency)]
    [InlineData(CustomerKind.Consumer, 4_000, OutcomeKind.SmallClaims)]
    [InlineData(CustomerKind.Business, 5_000, OutcomeKind.SmallClaims)]
    public void GivenMinnesota_ThenAClaimAgainstAConsumerUsesTheConsumerCreditLimit(CustomerKind kind, decimal amount, OutcomeKind expected)
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-MN", amount, kind: kind), Today);

        Assert.Equal(expected, recommendation.Kind);
    }

    [Fact]
    public void GivenAnInvoiceInAnotherCurrencyThanTheCourt_ThenAgency_WithoutConverting()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("US-CA", 1_000m, "EUR"), Today);

        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
        Assert.Contains(recommendation.Reasons, r => r.Contains("not compared", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenAnUnknownJurisdiction_ThenAgency_SayingThereIsNoCourtOnFile()
    {
        var recommendation = CaseResolution.Recommend(CaseBuilder.Case("ZZ", 1_000m), Today);

        Assert.Equal(OutcomeKind.CollectionAgency, recommendation.Kind);
        Assert.Null(recommendation.Court);
        Assert.Null(recommendation.FilingFee);
        Assert.Contains(recommendation.Reasons, r => r.Contains("No small-claims court is on file for ZZ", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenAnEnglishConsumer_ThenThePreActionProtocolIsRequired_AndTheReasonsSaySo()
    {
        var state = CaseBuilder.Case("GB-ENG", 2_000m, "GBP", CustomerKind.Consumer);

        var rule = Assert.IsType<PreActionRule>(CaseResolution.PreActionRequired(state));
        var recommendation = CaseResolution.Recommend(state, Today);

        Assert.Equal("Pre-Action Protocol for Debt Claims", rule.Name);
        Assert.Equal(30, rule.ResponseDays);
        Assert.Equal(OutcomeKind.SmallClaims, recommendation.Kind);
        Assert.Equal(new Money(115m, "GBP"), recommendation.FilingFee);
        Assert.Contains(recommendation.Reasons, r => r.Contains("Pre-Action Protocol for Debt Claims requires a letter and 30 days", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GB-ENG", CustomerKind.Business, false)]
    [InlineData("GB-WLS", CustomerKind.Consumer, true)]
    [InlineData("GB-SCT", CustomerKind.Consumer, false)]
    [InlineData("US-NY", CustomerKind.Consumer, true)]
    [InlineData("US-NY", CustomerKind.Business, false)]
    [InlineData("US-CA", CustomerKind.Consumer, false)]
    [InlineData("ZZ", CustomerKind.Consumer, false)]
    public void PreActionLetters_AreRequiredOnlyWhereTheRuleCoversTheCustomer(string code, CustomerKind kind, bool required)
    {
        var state = CaseBuilder.Case(code, 1_000m, kind: kind);

        Assert.Equal(required, CaseResolution.PreActionRequired(state) is not null);
    }

    [Theory]
    [InlineData(300, 35)]
    [InlineData(300.01, 50)]
    [InlineData(10_000, 455)]
    [InlineData(10_000.01, 500.00)]
    [InlineData(20_000, 1_000)]
    [InlineData(200_000, 10_000)]
    [InlineData(1_000_000, 10_000)]
    public void EnglishIssueFees_FollowTheGovUkBands(decimal claim, decimal fee)
    {
        var court = JurisdictionCatalog.Default.For("GB-ENG").SmallClaims!;

        Assert.Equal(new Money(fee, "GBP"), CaseResolution.FilingFee(court, new Money(claim, "GBP")));
    }
}
