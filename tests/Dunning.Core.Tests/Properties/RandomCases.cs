using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Policies;
using Dunning.Tests.Cases;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Tests.Properties;

/// <summary>One random case and what happened to it: the run, the signals sent, and a ledger kept apart from the case.</summary>
public sealed record RandomCase(int Seed, CaseState Initial, Run Run, List<string> Script, Money ExpectedPaid, Money ExpectedCredited)
{
    public string Describe() =>
        $"seed {Seed} (rerun with DUNNING_PROPERTY_SEED={Seed.ToString(CultureInfo.InvariantCulture)}): {Initial.Customer.TimeZone}, {Initial.Customer.Jurisdiction}, " +
        $"{Initial.Invoice.Amount}, window {Initial.Policy.Window}, cap {Initial.Policy.Cap}, ladder [{string.Join(", ", Initial.Policy.Ladder.Select(s => $"{s.Id}@{s.DayOffset}/{s.Channel}/{s.Role}"))}]\n" +
        $"  script: {string.Join("; ", Script)}\n  contacts: {string.Join("; ", Run.Contacts.Select(c => $"{c.At:yyyy-MM-dd HH:mm} {c.StepId}"))}\n  outcome: {Run.Outcome?.Kind}";
}

/// <summary>
/// Random cases driven the way a host drives them, with random signals in between: payments (some sent twice
/// through a second route), refunds, credits, plans and promises, disputes, cease, opt-outs, pauses and voids.
/// Signals go through <see cref="CaseRules.Check"/> first, as the hosts do; a duplicate payment skips the check,
/// as a webhook delivered twice by the provider would.
/// </summary>
public static class RandomCases
{
    public const int Count = 600;

    private static readonly string[] Zones = ["UTC", "America/Los_Angeles", "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"];

    private static readonly (string Code, string Currency)[] Places =
        [("US-CA", "USD"), ("US-NY", "USD"), ("US-KY", "USD"), ("GB-ENG", "GBP"), ("GB-SCT", "GBP"), ("DE", "EUR"), ("AU-NSW", "AUD")];

    /// <summary>The seeds to run: <c>DUNNING_PROPERTY_SEED</c> alone when set (to replay a failure), else <see cref="Count"/> seeds from a fixed base.</summary>
    public static IEnumerable<int> Seeds(int baseSeed) =>
        Environment.GetEnvironmentVariable("DUNNING_PROPERTY_SEED") is { Length: > 0 } one
            ? [int.Parse(one, CultureInfo.InvariantCulture)]
            : Enumerable.Range(baseSeed, Count);

    public static RandomCase Generate(int seed)
    {
        var random = new Random(seed);
        var (code, currency) = Pick(random, Places);
        var policy = RandomPolicy(random);
        var roles = Given.AllRoles.Where(_ => random.NextDouble() < 0.7).ToArray();
        var due = Given.DueDate.AddDays(random.Next(0, 365));
        var initial = Given.Case(
            amount: random.Next(1, 20) * 250m + random.Next(0, 100),
            currency: currency,
            zone: Pick(random, Zones),
            jurisdiction: code,
            kind: random.Next(2) == 0 ? CustomerKind.Business : CustomerKind.Consumer,
            roles: roles,
            address: random.NextDouble() < 0.8 ? Given.Address : null,
            phone: random.NextDouble() < 0.8 ? Given.Phone : null,
            dueDate: due,
            openedAt: Given.Day(due).AddDays(random.Next(-6, 40)).AddMinutes(random.Next(0, 24 * 60)),
            policy: policy,
            optedOut: random.NextDouble() < 0.1 ? ValueList.Of(Pick(random, Enum.GetValues<Channel>())) : null);

        var run = Run.Start(initial);
        var script = new List<string>();
        var paid = Money.Zero(currency);
        var credited = Money.Zero(currency);
        var payments = new List<PaymentReceived>();
        var refunded = new HashSet<string>();
        var at = initial.OpenedAt;
        var signals = random.Next(0, 12);
        for (var i = 0; i < signals; i++)
        {
            at = at.AddMinutes(random.Next(0, 20 * 24 * 60));
            run.Until(at);
            var state = run.State;
            var owed = state.PrincipalBalance;
            CaseEvent signal = random.Next(16) switch
            {
                0 or 1 or 2 => new PaymentReceived(at, Part(random, owed, currency), "pay-" + i.ToString(CultureInfo.InvariantCulture), Pick(random, ["stripe", "generic", "manual"])),
                3 when payments.Count > 0 && Pick(random, payments) is var p && !refunded.Contains(p.Reference) => new PaymentRefunded(at, p.Amount, p.Reference),
                4 => new CreditIssued(at, Part(random, owed, currency), "cn-" + i.ToString(CultureInfo.InvariantCulture)),
                5 => new DisputeOpened(at, "not what was ordered"),
                6 => state.Dispute is null || random.Next(2) == 0
                    ? new DisputeResolved(at, DisputeOutcome.Rejected)
                    : new DisputeResolved(at, DisputeOutcome.Upheld, Part(random, owed, currency)),
                7 or 8 => PlanTerms.Build(state, new PlanRequest(Count: random.Next(1, 6), FirstDueDate: CaseClock.LocalDate(state, at).AddDays(random.Next(0, 20)), IntervalDays: random.Next(7, 32)), CaseClock.LocalDate(state, at)) is { Plan: { } plan }
                    ? new PlanAgreed(at, plan)
                    : new Paused(at, "no plan"),
                9 => PlanTerms.Promise(state, CaseClock.LocalDate(state, at).AddDays(random.Next(0, 20)), owed.Amount, CaseClock.LocalDate(state, at)) is { Plan: { } promise }
                    ? new PlanAgreed(at, promise)
                    : new Resumed(at),
                10 => new CeaseRequested(at, random.Next(3) == 0 ? null : Pick(random, Enum.GetValues<Channel>())),
                11 => new Paused(at, "staff", random.Next(2) == 0 ? null : at.AddDays(random.Next(1, 30))),
                12 => new Resumed(at),
                13 when random.Next(4) == 0 => new InvoiceVoided(at, "issued in error"),
                14 when random.Next(3) == 0 => new PaymentReceived(at, new Money(100m, currency == "USD" ? "EUR" : "USD"), "fx-" + i.ToString(CultureInfo.InvariantCulture), "stripe"),
                15 when random.Next(2) == 0 => new CustomerContacted(at, "INV-SIBLING/step-" + i.ToString(CultureInfo.InvariantCulture), Pick(random, Enum.GetValues<Channel>())),
                _ => new PaymentReceived(at, Part(random, owed, currency), "pay-" + i.ToString(CultureInfo.InvariantCulture), "stripe"),
            };

            var verdict = CaseRules.Check(state, signal);
            script.Add($"{at:yyyy-MM-dd HH:mm} {CaseStatus.Describe(signal)} -> {verdict.GetType().Name}");
            if (verdict is not CommandResult.Accepted)
            {
                continue;
            }

            run.When(_ => signal);
            switch (signal)
            {
                case PaymentReceived p when p.Amount.Currency == currency:
                    paid += p.Amount;
                    payments.Add(p);
                    if (random.Next(4) == 0)
                    {
                        // The provider delivers it again through a second route, straight to the case
                        run.When(_ => p with { At = p.At.AddMinutes(1) });
                        script.Add($"  {p.Reference} delivered twice");
                    }

                    break;
                case PaymentRefunded r:
                    paid -= r.Amount;
                    refunded.Add(r.Reference);
                    break;
                case CreditIssued c:
                    credited += c.Amount;
                    break;
                case DisputeResolved { Credit: { } credit }:
                    credited += credit;
                    break;
            }
        }

        // Whatever is still open gets an answer, so the case can reach its end
        if (run.State.Dispute is not null)
        {
            run.When(now => new DisputeResolved(now, DisputeOutcome.Rejected));
        }

        if (run.State.Pause is not null)
        {
            run.When(now => new Resumed(now));
        }

        run.ToEnd();
        return new RandomCase(seed, initial, run, script, paid, credited);
    }

    private static DunningPolicy RandomPolicy(Random random)
    {
        var basePolicy = DefaultPolicy.Value;
        var ladder = random.Next(3) == 0
            ? basePolicy.Ladder
            : Enumerable.Range(0, random.Next(0, 7)).Select(i =>
            {
                var channel = Pick(random, Enum.GetValues<Channel>());
                var template = channel switch
                {
                    Channel.Email => Pick(random, ["courtesy", "gentle", "firm", "final-notice"]),
                    Channel.Letter => "invoice-copy",
                    Channel.Call => "call",
                };
                return new LadderStep("s" + i.ToString(CultureInfo.InvariantCulture), random.Next(-5, 60), channel, Pick(random, Enum.GetValues<Tone>()), Pick(random, Given.AllRoles), template, random.Next(3) == 0 ? random.Next(1, 30) : null);
            }).ToValueList();
        return basePolicy with
        {
            Ladder = ladder,
            Window = new ContactWindow(new TimeOnly(random.Next(6, 11), random.Next(2) * 30), new TimeOnly(random.Next(16, 22), 0), AllowWeekends: random.Next(4) == 0),
            Cap = new FrequencyCap(random.Next(1, 4), random.Next(3, 11)),
            LateCharges = random.Next(3) == 0 ? new LateChargeRules(ContractualFee: 25m, ContractualAnnualInterestPercent: 8m, ClaimStatutory: true, ApplyAtStep: ladder.Count > 0 ? ladder[^1].Id : null) : basePolicy.LateCharges,
            Plans = basePolicy.Plans with { MissesAllowed = random.Next(0, 3) },
        };
    }

    private static Money Part(Random random, Money owed, string currency)
    {
        var amount = owed.IsPositive && random.Next(3) > 0
            ? Math.Round(owed.Amount * (decimal)random.NextDouble(), 2) + (random.Next(4) == 0 ? owed.Amount : 0m)
            : random.Next(1, 500);
        return new Money(Math.Max(0.01m, amount), currency);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
