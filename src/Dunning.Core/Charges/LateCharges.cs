using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Jurisdictions;

namespace Dunning.Charges;

/// <summary>
/// Late charges as pure functions: a contractual fee and interest where the business's terms provide
/// them, statutory B2B interest and fixed compensation where the customer's jurisdiction grants them.
/// Interest is simple, on principal only, actual days / 365, for half-open periods [from, through)
/// that never overlap; every amount is rounded to the currency's minor unit.
/// </summary>
public static class LateCharges
{
    /// <summary>Interest is added in lines of at least this many days, so the statement does not grow a line a day.</summary>
    public const int AccrualDays = 30;

    /// <summary>
    /// The fixed compensation a business customer owes for a late debt of <paramref name="principal"/>
    /// (UK: £40/£70/£100; EU: €40), or null: for a consumer, where the law grants none, or where the
    /// debt's currency is not the law's. Currencies are never converted: a dollar invoice to a UK
    /// company gets no sterling compensation.
    /// </summary>
    public static ChargeLine? FixedCompensation(JurisdictionFacts facts, Customer customer, Money principal)
    {
        if (customer.Kind != CustomerKind.Business || facts.Statutory is not { } law || law.Currency != principal.Currency || !principal.IsPositive)
        {
            return null;
        }

        var band = law.FixedCompensation.FirstOrDefault(b => b.DebtBelow is not { } below || principal.Amount < below);
        if (band is not { Amount: > 0m })
        {
            return null;
        }

        var amount = new Money(band.Amount, law.Currency).Round();
        return new ChargeLine(
            ChargeKind.FixedCompensation,
            amount,
            $"Fixed compensation under the {law.Law}: {Currencies.Format(amount)} for a late debt of {Currencies.Format(principal)}");
    }

    /// <summary>Statutory interest at the law's reference rate plus margin on <paramref name="principal"/> for [from, through).</summary>
    public static ChargeLine StatutoryInterest(StatutoryLatePayment law, Money principal, DateOnly from, DateOnly through)
    {
        var rate = law.AnnualRatePercent;
        return Interest(
            ChargeKind.StatutoryInterest,
            rate,
            principal,
            from,
            through,
            $"Statutory interest under the {law.Law} at {Percent(rate)} a year (reference rate {Percent(law.ReferenceRatePercent)} + {Percent(law.MarginPercent)})");
    }

    /// <summary>Interest at the rate in the business's terms on <paramref name="principal"/> for [from, through).</summary>
    public static ChargeLine ContractualInterest(decimal annualPercent, Money principal, DateOnly from, DateOnly through) =>
        Interest(ChargeKind.ContractualInterest, annualPercent, principal, from, through, $"Interest under your terms at {Percent(annualPercent)} a year");

    /// <summary>
    /// The charges the case should add now, given those it already carries, in the order to apply them.
    /// Nothing before the policy's charging step, nothing once the principal is paid. The contractual
    /// fee and the fixed compensation come once per case. Interest runs from the day after the due
    /// date (or from where the last interest line stopped) to <paramref name="today"/>, on the
    /// principal balance only, in lines of at least <see cref="AccrualDays"/> days, or any whole day
    /// when the case is being <paramref name="final"/>ised. Statutory interest (a business customer,
    /// a jurisdiction with a late-payment law in the invoice's currency, and a policy that claims it)
    /// replaces contractual interest, never adds to it.
    /// </summary>
    public static IReadOnlyList<ChargeLine> Due(CaseState state, DateOnly today, bool final)
    {
        var rules = state.Policy.LateCharges;
        var principal = state.PrincipalBalance;
        if (!principal.IsPositive || (rules.ApplyAtStep is { } step && !state.DoneSteps.Contains(step)))
        {
            return [];
        }

        var due = new List<ChargeLine>();
        if (rules.ContractualFee > 0m && !Carries(state, ChargeKind.ContractualFee))
        {
            var fee = new Money(rules.ContractualFee, state.Currency).Round();
            due.Add(new ChargeLine(ChargeKind.ContractualFee, fee, $"Late payment fee under your terms: {Currencies.Format(fee)}"));
        }

        var law = StatutoryLaw(state);
        if (law is not null && !Carries(state, ChargeKind.FixedCompensation) && FixedCompensation(state.Facts, state.Customer, principal) is { } compensation)
        {
            due.Add(compensation);
        }

        var from = InterestPaidThrough(state) ?? state.Invoice.DueDate.AddDays(1);
        var days = today.DayNumber - from.DayNumber;
        if (days >= AccrualDays || (final && days >= 1))
        {
            var interest = law is not null ? StatutoryInterest(law, principal, from, today)
                : rules.ContractualAnnualInterestPercent > 0m ? ContractualInterest(rules.ContractualAnnualInterestPercent, principal, from, today)
                : null;
            if (interest is { Amount.IsPositive: true })
            {
                due.Add(interest);
            }
        }

        return due;
    }

    /// <summary>The statutory late-payment law this case may claim under, or null.</summary>
    public static StatutoryLatePayment? StatutoryLaw(CaseState state) =>
        state.Policy.LateCharges.ClaimStatutory
        && state.Customer.Kind == CustomerKind.Business
        && state.Facts.Statutory is { } law
        && law.Currency == state.Currency
            ? law
            : null;

    private static bool Carries(CaseState state, ChargeKind kind) => state.Charges.Any(c => c.Kind == kind);

    /// <summary>Where the last interest line stopped: the next one starts there (periods are half-open).</summary>
    private static DateOnly? InterestPaidThrough(CaseState state) =>
        state.Charges
            .Where(c => c.Kind is ChargeKind.StatutoryInterest or ChargeKind.ContractualInterest && c.Through is not null)
            .Select(c => c.Through)
            .Max();

    private static ChargeLine Interest(ChargeKind kind, decimal annualPercent, Money principal, DateOnly from, DateOnly through, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(annualPercent);
        var days = through.DayNumber - from.DayNumber;
        if (days < 0)
        {
            throw new ArgumentException($"The interest period ends ({through:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(through));
        }

        var amount = new Money(principal.Amount * annualPercent * days / 36_500m, principal.Currency).Round();
        var period = days == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no days (from {from:yyyy-MM-dd})")
            : string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd} to {through.AddDays(-1):yyyy-MM-dd} inclusive ({days} day{(days == 1 ? string.Empty : "s")})");
        return new ChargeLine(
            kind,
            amount,
            $"{what} on {Currencies.Format(principal)} for {period}: simple interest, actual days / 365",
            from,
            through,
            annualPercent);
    }

    private static string Percent(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
