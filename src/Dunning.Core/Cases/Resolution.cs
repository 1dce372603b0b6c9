using System.Globalization;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;
using Dunning.Policies;

namespace Dunning.Cases;

/// <summary>
/// What to do with a case the ladder could not collect: write it off, take it to small claims, or
/// hand it to a collection agency, with every check and the source of every legal number in the
/// reasons, so the person who acts on the flag can see why (and check it: this is not legal advice).
/// </summary>
public static class Resolution
{
    public static Recommendation Recommend(CaseState state, DateOnly today)
    {
        var currency = state.Currency;
        var rules = state.Policy.Resolution;
        var facts = state.Facts;
        var claim = state.Balance.Max(Money.Zero(currency));
        var agencyFee = claim.Times(rules.AgencyCommissionPercent / 100m).Round();
        var limitationDate = LimitationDate(state);
        var reasons = new List<string>();

        Recommendation Done(OutcomeKind kind, string? court = null, Money? filingFee = null) =>
            new(kind, claim, reasons.ToValueList(), court, filingFee, agencyFee, limitationDate);

        var minimum = rules.MinimumFor(currency);
        if (claim < minimum)
        {
            reasons.Add($"Write off: the claim of {F(claim)} is below the policy's minimum worth pursuing of {F(minimum)}.");
            return Done(OutcomeKind.WrittenOff);
        }

        var chargesOwed = (claim - state.PrincipalBalance).Max(Money.Zero(currency));
        reasons.Add($"The claim is {F(claim)} ({F(state.PrincipalBalance)} principal and {F(chargesOwed)} charges still owed), at least the policy's minimum of {F(minimum)}.");

        if (facts.Limitation is { } limitation && limitationDate is { } lastDay)
        {
            var clock = LimitationStart(state) is { } paid && paid > state.Invoice.DueDate
                ? $"from the last payment on {D(paid)}, which restarts the clock in most places"
                : $"from the due date {D(state.Invoice.DueDate)}";
            if (today > lastDay)
            {
                reasons.Add($"Write off: the claim is time-barred and cannot be pursued. The {limitation.WrittenContractYears}-year limitation period for a contract debt in {facts.Name}, counted {clock}, ended on {D(lastDay)} ({Cite(limitation.Source)}).");
                return Done(OutcomeKind.WrittenOff);
            }

            reasons.Add($"Not time-barred: the {limitation.WrittenContractYears}-year limitation period for a contract debt in {facts.Name}, counted {clock}, runs until {D(lastDay)} ({Cite(limitation.Source)}).");
        }
        else
        {
            reasons.Add($"No limitation period is on file for {facts.Name}: check that the claim is not time-barred before filing.");
        }

        var (eligible, court, filingFee) = SmallClaims(state, claim, agencyFee, reasons);
        if (eligible)
        {
            if (PreActionRequired(state) is { } rule)
            {
                reasons.Add($"Before filing, the {rule.Name} requires a letter and {rule.ResponseDays} days for the customer to answer ({Cite(rule.Source)}).");
            }

            reasons.Add(Recommendation.JudgmentCaveat);
            return Done(OutcomeKind.SmallClaims, court!.Court, filingFee);
        }

        reasons.Add($"Hand the case to a collection agency: at {Percent(rules.AgencyCommissionPercent)} commission it keeps {F(agencyFee)} and recovers {F(claim - agencyFee)} for you.");
        return Done(OutcomeKind.CollectionAgency, court?.Court, filingFee);
    }

    /// <summary>The letter the law requires before a claim against this customer, or null when none is required.</summary>
    public static PreActionRule? PreActionRequired(CaseState state) =>
        state.Facts.PreAction is { } rule
        && (state.Customer.Kind == CustomerKind.Consumer ? rule.AppliesToConsumers : rule.AppliesToBusinesses)
            ? rule
            : null;

    /// <summary>
    /// The last day a claim can be filed: the written-contract limitation period counted from the due
    /// date, or from the last payment received if later (a part payment restarts the clock in most
    /// places). Null when the jurisdiction's limitation period is not on file.
    /// </summary>
    public static DateOnly? LimitationDate(CaseState state) =>
        state.Facts.Limitation is { } limitation
            ? (LimitationStart(state) is { } paid && paid > state.Invoice.DueDate ? paid : state.Invoice.DueDate).AddYears(limitation.WrittenContractYears)
            : null;

    /// <summary>The court's filing fee for a claim: the band's fee plus its percentage of the part above the previous band.</summary>
    public static Money FilingFee(SmallClaimsRule rule, Money claim)
    {
        var floor = 0m;
        foreach (var band in rule.FilingFees)
        {
            if (band.UpTo is not { } upTo || claim.Amount <= upTo)
            {
                var percent = band.PercentAbove is { } p ? Math.Max(0m, claim.Amount - floor) * p / 100m : 0m;
                return new Money(band.Fee + percent, claim.Currency).Round();
            }

            floor = upTo;
        }

        return Money.Zero(claim.Currency);
    }

    private static (bool Eligible, SmallClaimsRule? Court, Money? FilingFee) SmallClaims(CaseState state, Money claim, Money agencyFee, List<string> reasons)
    {
        var rules = state.Policy.Resolution;
        var facts = state.Facts;
        var eligible = true;

        void No(string reason)
        {
            eligible = false;
            reasons.Add(reason);
        }

        if (rules.PreferAgency)
        {
            No("The policy prefers a collection agency to court.");
        }

        if (string.IsNullOrWhiteSpace(state.Customer.Address))
        {
            No("There is no postal address for the customer, and a court claim has to be served on them.");
        }

        if (facts.SmallClaims is not { } court)
        {
            No($"No small-claims court is on file for {facts.Name}.");
            return (false, null, null);
        }

        if (court.Currency != claim.Currency)
        {
            No($"The {court.Court} limits are in {court.Currency} and the claim is in {claim.Currency}: they are not compared, and currencies are not converted.");
            return (false, court, null);
        }

        var plaintiff = rules.Plaintiff == Plaintiff.NaturalPerson ? "a natural-person plaintiff" : "an entity plaintiff (company, LLC or partnership)";
        var limit = new Money(rules.Plaintiff == Plaintiff.NaturalPerson ? court.LimitNaturalPerson : court.LimitEntity, claim.Currency);
        var which = $"the {F(limit)} limit of the {court.Court} in {facts.Name} for {plaintiff}";
        if (state.Customer.Kind == CustomerKind.Consumer && court.ConsumerCreditLimit is { } consumerCredit && consumerCredit < limit.Amount)
        {
            limit = new Money(consumerCredit, claim.Currency);
            which = $"the {F(limit)} limit of the {court.Court} in {facts.Name} for a consumer-credit claim against a consumer";
        }

        if (claim > limit)
        {
            No($"The claim of {F(claim)} is above {which} ({Cite(court.Source)}).");
        }
        else
        {
            reasons.Add($"The claim of {F(claim)} is within {which} ({Cite(court.Source)}).");
        }

        var fee = FilingFee(court, claim);
        var courtNet = claim - fee;
        var agencyNet = claim - agencyFee;
        var comparison = $"In court, the filing fee of {F(fee)} ({Cite(court.FeesProvenance)}) leaves {F(courtNet)}; a collection agency at {Percent(rules.AgencyCommissionPercent)} commission ({F(agencyFee)}) leaves {F(agencyNet)}";
        if (courtNet >= agencyNet)
        {
            reasons.Add(comparison + ": court recovers at least as much.");
        }
        else
        {
            No(comparison + ": the agency recovers more.");
        }

        if (eligible)
        {
            if (court.AssigneesBarred)
            {
                reasons.Add("This court does not take assigned claims: the business must be the original creditor.");
            }

            if (court.Notes is { } notes)
            {
                reasons.Add($"Court rules to check: {notes}");
            }
        }

        return (eligible, court, fee);
    }

    private static DateOnly? LimitationStart(CaseState state)
    {
        var refunded = state.History.OfType<CaseEvent.PaymentRefunded>().Select(r => r.Reference).ToHashSet();
        return state.History
            .OfType<CaseEvent.PaymentReceived>()
            .Where(p => p.Amount.IsPositive && !refunded.Contains(p.Reference))
            .Select(p => (DateOnly?)DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p.At, state.Customer.Zone).DateTime))
            .Max();
    }

    private static string Cite(Provenance source) =>
        $"source: {source.SourceUrl}, {Describe(source.Confidence)}, as of {D(source.AsOf)}";

    private static string Describe(Confidence confidence) => confidence switch
    {
        Confidence.Verified => "verified",
        Confidence.Secondary => "secondary sources agree",
        Confidence.Uncertain => "uncertain",
        Confidence.Knowledge => "general knowledge, unverified",
    };

    private static string F(Money money) => Currencies.Format(money);

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Percent(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
