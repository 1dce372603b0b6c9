using Dunning.Cases;
using Dunning.Common;
using Dunning.Tests.Cases;
using FsCheck;
using FsCheck.Fluent;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Tests.Properties;

/// <summary>
/// Money arithmetic as FsCheck properties over arbitrary sequences of payments, duplicates, refunds and credits
/// folded straight into a case. FsCheck prints the replay seed of a failing run, and shrinks it.
/// </summary>
public class LedgerProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>kind 0 payment, 1 the same payment again, 2 refund by id, 3 credit, 4 foreign-currency payment, 5 a charge's running refund total; cents; which key.</summary>
    private static readonly Arbitrary<(int Kind, int Cents, int Ref)[]> Operations =
        Gen.Choose(0, 5)
            .SelectMany(kind => Gen.Choose(1, 80_000), (kind, cents) => (kind, cents))
            .SelectMany(_ => Gen.Choose(0, 5), (kc, r) => (kc.kind, kc.cents, r))
            .ArrayOf()
            .ToArbitrary();

    private static readonly Arbitrary<int> PaidBeforeTheCase = Gen.Elements(0, 0, 10_000, 50_000).ToArbitrary();

    /// <summary>
    /// owed = amount + charges - credits - payments + refunds after every event, where each payment key counts once,
    /// each refund id once, a running refund total adds only what it grew, and refunds never exceed payments received
    /// (including money paid before the case opened).
    /// </summary>
    [Fact]
    public void Owed_is_amount_plus_charges_less_credits_and_payments_plus_refunds_and_refunds_never_exceed_payments()
    {
        Check.One(Quick, Prop.ForAll(Operations, PaidBeforeTheCase, (ops, paidBeforeCents) =>
        {
            var paidBefore = paidBeforeCents / 100m;
            var state = Given.Case(amount: 500m, paidBefore: paidBefore);
            var at = state.OpenedAt;
            var paid = new Dictionary<string, decimal>();
            var refundIds = new HashSet<string>();
            var runningTotals = new Dictionary<string, decimal>();
            var received = paidBefore;
            var refunded = 0m;
            var credited = 0m;
            foreach (var (kind, cents, r) in ops)
            {
                at = at.AddHours(1);
                var amount = cents / 100m;
                var key = "generic/p" + r;
                CaseEvent e = kind switch
                {
                    0 or 1 => new PaymentReceived(at, Given.Usd(paid.GetValueOrDefault(key, amount)), "BW-0019", "generic", key),
                    2 => new PaymentRefunded(at, Given.Usd(amount), "BW-0019", "generic/r" + r),
                    3 => new CreditIssued(at, Given.Usd(amount), "cn-" + at.Ticks),
                    4 => new PaymentReceived(at, new Money(amount, "EUR"), "eur", "stripe", "stripe/eur-" + at.Ticks),
                    _ => new PaymentRefunded(at, Given.Usd(amount), "ch_" + r, "stripe/ch_" + r, Given.Usd(amount)),
                };
                switch (e)
                {
                    case PaymentReceived { Amount.Currency: "USD" } p when paid.TryAdd(p.Identity, p.Amount.Amount):
                        received += p.Amount.Amount;
                        break;
                    case PaymentRefunded { RefundedToDate: null } f when !refundIds.Contains(f.Identity):
                        var byId = Math.Min(f.Amount.Amount, received - refunded);
                        refunded += byId;
                        if (byId > 0)
                        {
                            refundIds.Add(f.Identity);
                        }

                        break;
                    case PaymentRefunded { RefundedToDate: { } total } f:
                        var grew = Math.Clamp(total.Amount - runningTotals.GetValueOrDefault(f.Identity), 0m, received - refunded);
                        runningTotals[f.Identity] = runningTotals.GetValueOrDefault(f.Identity) + grew;
                        refunded += grew;
                        break;
                    case CreditIssued c:
                        credited += c.Amount.Amount;
                        break;
                }

                state = CaseDecider.Evolve(state, e);
                var owed = 500m + state.ChargesTotal.Amount - credited - received + refunded;
                if (state.Balance.Amount != owed
                    || state.Refunded.Amount != refunded
                    || state.Received.Amount != received
                    || refunded > received
                    || state.Credited.Amount != credited
                    || state.Overpaid.Amount != Math.Max(0m, -owed))
                {
                    return false;
                }
            }

            return true;
        }));
    }

    [Fact]
    public void Evolving_the_same_signal_twice_changes_a_payment_total_only_once()
    {
        Check.One(Quick, Prop.ForAll(Operations, ops =>
        {
            var once = Given.Case();
            var twice = Given.Case();
            foreach (var (_, cents, r) in ops)
            {
                var p = new PaymentReceived(once.OpenedAt, Given.Usd(cents / 100m), "ref-" + r, "generic");
                once = CaseDecider.Evolve(once, p);
                twice = CaseDecider.Evolve(CaseDecider.Evolve(twice, p), p with { At = p.At.AddMinutes(5) });
            }

            return once == twice;
        }));
    }
}
