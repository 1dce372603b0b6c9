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

    /// <summary>kind 0 payment, 1 the same payment again, 2 refund of a payment, 3 credit, 4 foreign-currency payment; cents; which reference.</summary>
    private static readonly Arbitrary<(int Kind, int Cents, int Ref)[]> Operations =
        Gen.Choose(0, 4)
            .SelectMany(kind => Gen.Choose(1, 80_000), (kind, cents) => (kind, cents))
            .SelectMany(_ => Gen.Choose(0, 5), (kc, r) => (kc.kind, kc.cents, r))
            .ArrayOf()
            .ToArbitrary();

    [Fact]
    public void Balance_is_amount_plus_charges_less_credits_and_distinct_payments_net_of_refunds()
    {
        Check.One(Quick, Prop.ForAll(Operations, ops =>
        {
            var state = Given.Case(amount: 500m);
            var at = state.OpenedAt;
            var paid = new Dictionary<string, decimal>();
            var refunded = new Dictionary<string, decimal>();
            var credited = 0m;
            foreach (var (kind, cents, r) in ops)
            {
                at = at.AddHours(1);
                var amount = cents / 100m;
                var reference = "p" + r;
                CaseEvent e = kind switch
                {
                    0 or 1 => new PaymentReceived(at, Given.Usd(paid.TryGetValue(reference, out var first) ? first : amount), reference, "stripe"),
                    2 => new PaymentRefunded(at, Given.Usd(paid.GetValueOrDefault(reference, amount)), reference),
                    3 => new CreditIssued(at, Given.Usd(amount), "cn-" + at.Ticks),
                    _ => new PaymentReceived(at, new Money(amount, "EUR"), "eur-" + at.Ticks, "stripe"),
                };
                switch (e)
                {
                    case PaymentReceived { Amount.Currency: "USD" } p:
                        paid.TryAdd(p.Reference, p.Amount.Amount);
                        break;
                    case PaymentRefunded f:
                        refunded.TryAdd(f.Reference, f.Amount.Amount);
                        break;
                    case CreditIssued c:
                        credited += c.Amount.Amount;
                        break;
                }

                state = CaseDecider.Evolve(state, e);
            }

            var net = paid.Values.Sum() - refunded.Values.Sum();
            var expected = 500m + state.ChargesTotal.Amount - credited - Math.Max(0m, net);
            return state.Balance.Amount == expected
                && state.Credited.Amount == credited
                && state.PrincipalBalance.Amount == Math.Max(0m, 500m - credited - Math.Max(0m, net))
                && state.Overpaid.Amount == Math.Max(0m, -expected);
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
