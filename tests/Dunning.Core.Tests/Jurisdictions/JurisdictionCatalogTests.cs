using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;

namespace Dunning.Tests.Jurisdictions;

public class JurisdictionCatalogTests
{
    private static readonly JurisdictionCatalog Catalog = JurisdictionCatalog.Default;

    public static TheoryData<string> UsStatesAndDc => new(
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
        "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
        "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY");

    public static TheoryData<string> EuroArea => new(
        "AT", "BE", "BG", "HR", "CY", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PT", "SK", "SI", "ES");

    [Fact]
    public void TheShippedFile_Loads_WithItsCompilationDate()
    {
        Assert.Equal(new DateOnly(2026, 11, 1), Catalog.Compiled);
        Assert.Equal(51, Catalog.Codes.Count(c => c.StartsWith("US-", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(UsStatesAndDc))]
    public void EveryUsStateAndDc_HasASmallClaimsLimitInDollars_WithAFeeAndSources(string state)
    {
        var facts = Catalog.For(new Jurisdiction("US", state));

        var court = Assert.IsType<SmallClaimsRule>(facts.SmallClaims);
        Assert.Equal("USD", court.Currency);
        Assert.InRange(court.LimitNaturalPerson, 2_500m, 25_000m);
        Assert.InRange(court.LimitEntity, 2_500m, court.LimitNaturalPerson);
        Assert.NotEmpty(court.FilingFees);
        Assert.Null(court.FilingFees[^1].UpTo);
        Assert.StartsWith("http", court.Source.SourceUrl, StringComparison.Ordinal);
        Assert.StartsWith("http", court.FeesProvenance.SourceUrl, StringComparison.Ordinal);
        Assert.True(court.Source.AsOf <= new DateOnly(2026, 11, 1));
        Assert.NotEqual(facts.Code, facts.Name);
    }

    [Theory]
    [InlineData("US-CA", 12_500, 6_250, null, "USD")]
    [InlineData("US-WA", 10_000, 5_000, null, "USD")]
    [InlineData("US-IN", 10_000, 6_000, null, "USD")]
    [InlineData("US-MN", 20_000, 20_000, 4_000, "USD")]
    [InlineData("US-VT", 10_000, 10_000, 5_000, "USD")]
    [InlineData("US-TX", 20_000, 20_000, null, "USD")]
    [InlineData("US-ME", 10_000, 10_000, null, "USD")]
    [InlineData("US-RI", 2_500, 2_500, null, "USD")]
    [InlineData("GB-ENG", 10_000, 10_000, null, "GBP")]
    [InlineData("GB-WLS", 10_000, 10_000, null, "GBP")]
    [InlineData("GB-SCT", 5_000, 5_000, null, "GBP")]
    [InlineData("CA-ON", 50_000, 50_000, null, "CAD")]
    [InlineData("CA-BC", 35_000, 35_000, null, "CAD")]
    [InlineData("CA-AB", 100_000, 100_000, null, "CAD")]
    [InlineData("CA-QC", 15_000, 15_000, null, "CAD")]
    [InlineData("AU-NSW", 20_000, 20_000, null, "AUD")]
    [InlineData("AU-VIC", 10_000, 10_000, null, "AUD")]
    public void SmallClaimsLimits_MatchTheReference(string code, int naturalPerson, int entity, int? consumerCredit, string currency)
    {
        var court = Assert.IsType<SmallClaimsRule>(Catalog.For(code).SmallClaims);

        Assert.Equal(naturalPerson, court.LimitNaturalPerson);
        Assert.Equal(entity, court.LimitEntity);
        Assert.Equal(consumerCredit, (int?)court.ConsumerCreditLimit);
        Assert.Equal(currency, court.Currency);
    }

    [Fact]
    public void California_DistinguishesEntitiesFromNaturalPersons_FromAVerifiedSource()
    {
        var court = Catalog.For("US-CA").SmallClaims!;

        Assert.Equal(6_250m, court.LimitEntity);
        Assert.Equal(12_500m, court.LimitNaturalPerson);
        Assert.Equal(Confidence.Verified, court.Source.Confidence);
        Assert.Equal(new DateOnly(2024, 1, 1), court.Source.AsOf);
        Assert.Equal(4, Catalog.For("US-CA").Limitation!.WrittenContractYears);
    }

    [Theory]
    [InlineData("US-KS")]
    [InlineData("US-UT")]
    [InlineData("US-WA")]
    [InlineData("US-TX")]
    public void AssigneeBars_AreRecorded(string code) => Assert.True(Catalog.For(code).SmallClaims!.AssigneesBarred);

    [Theory]
    [InlineData("US-CA", 4, 4)]
    [InlineData("US-NY", 6, 6)]
    [InlineData("US-FL", 5, 4)]
    [InlineData("US-IL", 10, 5)]
    [InlineData("US-NC", 3, 3)]
    [InlineData("GB-ENG", 6, 6)]
    [InlineData("GB-SCT", 5, 5)]
    [InlineData("CA-ON", 2, 2)]
    [InlineData("CA-QC", 3, 3)]
    [InlineData("AU-VIC", 6, 6)]
    [InlineData("IE", 6, 6)]
    public void LimitationPeriods_MatchTheReference(string code, int written, int openAccount)
    {
        var limitation = Assert.IsType<LimitationRule>(Catalog.For(code).Limitation);

        Assert.Equal(written, limitation.WrittenContractYears);
        Assert.Equal(openAccount, limitation.OpenAccountYears);
    }

    [Theory]
    [InlineData("US-AK")]
    [InlineData("DE")]
    [InlineData("GB-NIR")]
    public void WhereTheReferenceHasNoLimitationPeriod_ItIsLeftUnknown(string code) => Assert.Null(Catalog.For(code).Limitation);

    [Theory]
    [InlineData("GB-ENG")]
    [InlineData("GB-WLS")]
    [InlineData("GB-SCT")]
    [InlineData("GB-NIR")]
    [InlineData("GB")]
    public void TheUkLatePaymentAct_ReachesEveryUkJurisdiction_ThroughTheCountryEntry(string code)
    {
        var law = Assert.IsType<StatutoryLatePayment>(Catalog.For(code).Statutory);

        Assert.Equal("Late Payment of Commercial Debts (Interest) Act 1998", law.Law);
        Assert.Equal("GBP", law.Currency);
        Assert.Equal(11.75m, law.AnnualRatePercent);
        Assert.Equal([new CompensationBand(1_000m, 40m), new CompensationBand(10_000m, 70m), new CompensationBand(null, 100m)], law.FixedCompensation);
    }

    [Theory]
    [MemberData(nameof(EuroArea))]
    public void EuroAreaCountries_GetTheDirectiveOrTheirNationalRate(string code)
    {
        var law = Assert.IsType<StatutoryLatePayment>(Catalog.For(code).Statutory);

        Assert.Equal("EUR", law.Currency);
        Assert.Equal([new CompensationBand(null, 40m)], law.FixedCompensation);
        var expectedMargin = code switch
        {
            "DE" => 9m,
            "FR" => 10m,
            _ => 8m,
        };
        Assert.Equal(expectedMargin, law.MarginPercent);
        Assert.Equal(code == "DE" ? 1.27m : 2.15m, law.ReferenceRatePercent);
    }

    [Fact]
    public void EnglandAndWales_RequireThePreActionProtocol_ForConsumersOnly()
    {
        var rule = Assert.IsType<PreActionRule>(Catalog.For("GB-ENG").PreAction);

        Assert.Equal("Pre-Action Protocol for Debt Claims", rule.Name);
        Assert.True(rule.AppliesToConsumers);
        Assert.False(rule.AppliesToBusinesses);
        Assert.Equal(30, rule.ResponseDays);
        Assert.Null(rule.MaxAgeDays);
        Assert.Equal(rule, Catalog.For("GB-WLS").PreAction);
        Assert.Null(Catalog.For("GB-SCT").PreAction);
    }

    [Fact]
    public void NewYork_ConsumerDemandLetter_Is10To180DaysBeforeFiling()
    {
        var rule = Assert.IsType<PreActionRule>(Catalog.For("US-NY").PreAction);

        Assert.Equal(10, rule.ResponseDays);
        Assert.Equal(180, rule.MaxAgeDays);
        Assert.True(rule.AppliesToConsumers);
        Assert.False(rule.AppliesToBusinesses);
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("US-ZZ")]
    [InlineData("NZ")]
    public void AnUnknownCode_GivesUnknownFacts(string code)
    {
        var facts = Catalog.For(code);

        Assert.Equal(JurisdictionFacts.Unknown(code), facts);
    }

    [Fact]
    public void AnUnknownRegionOfAKnownCountry_FallsBackToTheCountry_UnderItsOwnCode()
    {
        var facts = Catalog.For(new Jurisdiction("fr", "75"));

        Assert.Equal("FR-75", facts.Code);
        Assert.Equal("France", facts.Name);
        Assert.Equal(10m, facts.Statutory!.MarginPercent);
    }

    [Fact]
    public void Irelands_SmallClaimsProcedure_IsNotOfferedForDebts()
    {
        var facts = Catalog.For("IE");

        Assert.Null(facts.SmallClaims);
        Assert.NotNull(facts.Statutory);
    }

    [Fact]
    public void Facts_SurviveTheDurableJsonRoundTrip()
    {
        foreach (var code in new[] { "US-CA", "GB-ENG", "US-NY", "DE", "AU-VIC" })
        {
            var facts = Catalog.For(code);

            Assert.Equal(facts, DunningJson.Deserialize<JurisdictionFacts>(DunningJson.Serialize(facts)));
        }
    }

    [Fact]
    public void AnOverride_ReplacesTheSubObjectsItNames_AndKeepsTheRest()
    {
        var overridden = Catalog.WithOverrides("""
            {
              "entries": [
                {
                  "code": "us-ca",
                  "smallClaims": {
                    "court": "Small Claims Court", "currency": "USD", "limitNaturalPerson": 15000, "limitEntity": 7500,
                    "filingFees": [ { "upTo": null, "fee": 80 } ],
                    "source": { "sourceUrl": "https://courts.ca.gov/small-claims", "asOf": "2027-01-01", "confidence": "verified" }
                  }
                }
              ]
            }
            """);

        var facts = overridden.For("US-CA");
        Assert.Equal(7_500m, facts.SmallClaims!.LimitEntity);
        Assert.Equal(new DateOnly(2027, 1, 1), facts.SmallClaims.Source.AsOf);
        Assert.Equal(Catalog.For("US-CA").Limitation, facts.Limitation);
        Assert.Equal("California", facts.Name);
        Assert.Equal(6_250m, Catalog.For("US-CA").SmallClaims!.LimitEntity);
        Assert.Equal(Catalog.For("US-NY"), overridden.For("US-NY"));
    }

    [Fact]
    public void AnOverride_CanRemoveAFact_AddAJurisdiction_AndMoveARateForEveryMemberAtOnce()
    {
        var overridden = Catalog.WithOverrides("""
            // Comments are allowed in override files.
            {
              "compiled": "2027-01-15",
              "entries": [
                { "code": "US-NY", "preAction": null },
                { "code": "EU", "statutory": {
                    "law": "Late Payment Directive 2011/7/EU", "currency": "EUR", "referenceRatePercent": 2.40, "marginPercent": 8,
                    "fixedCompensation": [ { "debtBelow": null, "amount": 40 } ],
                    "source": { "sourceUrl": "https://www.ecb.europa.eu/", "asOf": "2026-07-01", "confidence": "v" } } },
                { "code": "NZ", "name": "New Zealand",
                  "limitation": { "writtenContractYears": 6, "source": { "sourceUrl": "https://www.legislation.govt.nz/", "asOf": "2027-01-01", "confidence": "knowledge" } } },
              ]
            }
            """);

        Assert.Null(overridden.For("US-NY").PreAction);
        Assert.NotNull(overridden.For("US-NY").SmallClaims);
        Assert.Equal(10.40m, overridden.For("AT").Statutory!.AnnualRatePercent);
        Assert.Equal(10.27m, overridden.For("DE").Statutory!.AnnualRatePercent);
        Assert.Equal(6, overridden.For("NZ").Limitation!.OpenAccountYears);
        Assert.Equal("New Zealand", overridden.For("NZ").Name);
        Assert.Equal(new DateOnly(2027, 1, 15), overridden.Compiled);
    }

    [Fact]
    public void AFactSetToNull_IsNotTakenFromTheFallbackEither()
    {
        var overridden = Catalog.WithOverrides("""{ "entries": [ { "code": "DE", "statutory": null }, { "code": "GB-SCT", "statutory": null } ] }""");

        Assert.Null(overridden.For("DE").Statutory);
        Assert.Null(overridden.For("GB-SCT").Statutory);
        Assert.NotNull(overridden.For("AT").Statutory);
        Assert.NotNull(overridden.For("GB-ENG").Statutory);

        var restored = overridden.WithOverrides("""
            { "entries": [ { "code": "DE", "statutory": { "law": "BGB 288", "currency": "EUR", "referenceRatePercent": 1.27, "marginPercent": 9,
              "source": { "sourceUrl": "https://example.org/bgb", "asOf": "2026-01-01", "confidence": "knowledge" } } } ] }
            """);
        Assert.Equal("BGB 288", restored.For("DE").Statutory!.Law);
    }

    [Fact]
    public void AnInvalidFile_ListsEveryProblemAtOnce()
    {
        const string json = """
            {
              "entries": [
                {
                  "code": "US-XX",
                  "smallClaims": {
                    "court": "Small Claims", "currency": "XYZ", "limitNaturalPerson": -5, "limitEntity": "lots",
                    "filingFees": [ { "upTo": 500, "fee": 10 }, { "upTo": 100, "fee": 20 } ],
                    "source": { "sourceUrl": "https://example.org", "asOf": "2026-13-01", "confidence": "probably" }
                  },
                  "limitation": { "writtenContractYears": 0 },
                  "smallclaims": {}
                },
                { "code": "GB-XX", "fallback": "NOWHERE",
                  "statutory": { "law": "Act", "currency": "GBP", "referenceRatePercent": 3, "marginPercent": 8,
                                 "fixedCompensation": [ { "debtBelow": null, "amount": 40 }, { "debtBelow": 100, "amount": 45 } ],
                                 "source": { "sourceUrl": "not a url", "asOf": "2026-01-01", "confidence": "verified" } },
                  "preAction": { "name": "Letter", "appliesToConsumers": true, "appliesToBusinesses": "no", "responseDays": 30, "maxAgeDays": 10,
                                 "source": { "asOf": "2026-01-01", "confidence": "verified" } } },
                { "code": "US-XX" },
                { "name": "no code" },
                { "code": "A1" }
              ]
            }
            """;

        var error = Assert.Throws<JurisdictionDataException>(() => JurisdictionCatalog.Load(json));

        Assert.Equal(
            [
                "US-XX: smallClaims.currency: 'XYZ' is not an ISO 4217 currency code (USD, GBP, EUR, ...)",
                "US-XX: smallClaims.limitNaturalPerson: must not be negative (-5)",
                "US-XX: smallClaims.limitEntity: must be a number, not \"lots\"",
                "US-XX: smallClaims.filingFees[1].upTo: bands must go up: 100 is not above 500",
                "US-XX: smallClaims.filingFees: the last band must be open-ended (\"upTo\": null) so every claim has a fee",
                "US-XX: smallClaims.source.asOf: '2026-13-01' is not a date (yyyy-MM-dd)",
                "US-XX: smallClaims.source.confidence: 'probably' is not one of verified, secondary, uncertain, knowledge",
                "US-XX: limitation.writtenContractYears: must be at least 1 (0)",
                "US-XX: limitation.source: missing",
                "US-XX: smallclaims: unknown field (expected one of: code, fallback, limitation, name, notes, preAction, smallClaims, statutory)",
                "GB-XX: statutory.fixedCompensation[0].debtBelow: only the last band may be open-ended (null)",
                "GB-XX: statutory.source.sourceUrl: 'not a url' is not an http(s) address",
                "GB-XX: preAction.appliesToBusinesses: must be true or false, not \"no\"",
                "GB-XX: preAction.maxAgeDays: must not be less than responseDays (30)",
                "GB-XX: preAction.source.sourceUrl: missing",
                "US-XX: code: appears more than once in the same file",
                "entries[3]: code: missing (a string such as \"US-CA\", \"GB-ENG\" or \"FR\")",
                "entries[4]: code: 'A1' is not a country code with an optional region (\"US-CA\", \"GB-ENG\", \"FR\")",
                "GB-XX: fallback: there is no entry 'NOWHERE'",
            ],
            error.Problems);
        Assert.Contains("19 problems", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"entries\": [ ", "file: not valid JSON")]
    [InlineData("[]", "file: expected an object")]
    [InlineData("{ }", "file: entries: missing")]
    [InlineData("{ \"entries\": [], \"extra\": 1 }", "file: extra: unknown field")]
    public void AFileThatIsNotACatalog_SaysSo(string json, string problem)
    {
        var error = Assert.Throws<JurisdictionDataException>(() => JurisdictionCatalog.Load(json));

        Assert.StartsWith(problem, Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void FallbacksThatGoRoundInACycle_AreRejected()
    {
        var error = Assert.Throws<JurisdictionDataException>(() => JurisdictionCatalog.Load("""
            { "entries": [ { "code": "AA", "fallback": "BB" }, { "code": "BB", "fallback": "AA" } ] }
            """));

        Assert.Equal(2, error.Problems.Count);
        Assert.All(error.Problems, p => Assert.Contains("cycle", p, StringComparison.Ordinal));
    }

    [Fact]
    public void AnInvalidOverride_IsRejectedWhole_AndLeavesTheCatalogAsItWas()
    {
        var error = Assert.Throws<JurisdictionDataException>(() => Catalog.WithOverrides("""
            { "entries": [ { "code": "US-CA", "limitation": { "writtenContractYears": 4, "openAccountYears": -1,
              "source": { "sourceUrl": "https://example.org", "asOf": "yesterday", "confidence": "verified" } } } ] }
            """));

        Assert.Equal(
            ["US-CA: limitation.openAccountYears: must be at least 1 (-1)", "US-CA: limitation.source.asOf: 'yesterday' is not a date (yyyy-MM-dd)"],
            error.Problems);
        Assert.Equal(4, Catalog.For("US-CA").Limitation!.OpenAccountYears);
    }
}
