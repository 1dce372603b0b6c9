using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Ports;
using Dunning.Tests.UseCases;

namespace Dunning.Tests.Properties;

/// <summary>
/// Issue 8's invariants over random ledgers: customers owning 1–8 invoices with random due and open dates, payments and
/// customer-level ceases or opt-outs at random times, cases visited in random order at equal times, and effects retried
/// (a restarted runner, a retried activity). Driven through the real use cases (<c>CaseEffects</c>, <c>CustomerRequests</c>)
/// on the in-memory ports, whatever the order: a failure names its seed (<c>DUNNING_PROPERTY_SEED</c> replays it).
/// </summary>
public class CustomerLedgerProperties
{
    private const int Ledgers = 60;

    private static readonly DateTimeOffset Start = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Zones = ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/London"];

    public static TheoryData<int> Seeds => [.. RandomCases.Seeds(8_000).Take(Ledgers)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task No_customer_gets_more_than_the_cap_nothing_after_a_cease_and_every_carried_invoice_is_owed(int seed)
    {
        var world = await World.RunAsync(seed);

        Assert.True(world.Problems.Count == 0, $"seed {seed} (DUNNING_PROPERTY_SEED={seed.ToString(CultureInfo.InvariantCulture)}):\n" + string.Join("\n", world.Problems.Take(10)));
        Assert.True(world.Sent > 0 || world.Invoices == 0, $"seed {seed}: nothing was sent at all");
    }

    private sealed class World
    {
        private readonly Random random;
        private readonly UseCaseFixture app = new(Start);
        private readonly Dictionary<InvoiceId, DateTimeOffset?> wake = [];
        private readonly List<(DateTimeOffset At, int Order, Func<Task> Apply)> outside = [];
        private readonly Dictionary<CustomerId, (DateTimeOffset At, Channel? Channel)> ceased = [];
        private readonly Dictionary<CustomerId, FrequencyCap> caps = [];

        private World(int seed) => random = new Random(seed);

        public List<string> Problems { get; } = [];

        public int Sent { get; private set; }

        public int Invoices { get; private set; }

        public static async Task<World> RunAsync(int seed)
        {
            var world = new World(seed);
            world.Plan();
            await world.DriveAsync();
            await world.CheckAsync();
            return world;
        }

        private void Plan()
        {
            var customers = random.Next(1, 4);
            for (var c = 1; c <= customers; c++)
            {
                var id = "C-" + c.ToString(CultureInfo.InvariantCulture);
                var customer = PortSamples.Customer(id, "Customer " + id) with { OptedOut = ValueList<Channel>.Empty, TimeZone = Zones[random.Next(Zones.Length)] };
                var policy = DefaultPolicy.Value with { Cap = new FrequencyCap(random.Next(1, 4), 7), Consolidate = random.Next(5) > 0 };
                caps[customer.Id] = policy.Cap;
                var count = random.Next(1, 9);
                for (var i = 1; i <= count; i++)
                {
                    Invoices++;
                    var due = DateOnly.FromDateTime(Start.UtcDateTime).AddDays(random.Next(0, 30));
                    var invoice = new Invoice(
                        new InvoiceId($"{id}-INV-{i.ToString(CultureInfo.InvariantCulture)}"), customer.Id, "N" + i.ToString(CultureInfo.InvariantCulture),
                        due.AddDays(-30), due, new Money(random.Next(50, 5_000), "USD"), new Money(0m, "USD"));
                    var opens = CaseClock.LocalInstant(customer.Zone, policy.CaseStartDate(due).AddDays(random.Next(0, 3) == 0 ? random.Next(1, 25) : 0), new TimeOnly(6, 0));
                    Outside(opens, async () =>
                    {
                        await app.Workflows.StartAsync(CaseState.Open(invoice, customer, policy, JurisdictionFacts.Unknown("US-CA"), opens), default);
                        wake[invoice.Id] = opens;
                    });
                    if (random.Next(3) == 0)
                    {
                        var paidAt = opens.AddDays(random.Next(0, 60)).AddMinutes(random.Next(0, 1440));
                        var amount = random.Next(2) == 0 ? invoice.Amount : new Money(Math.Round(invoice.Amount.Amount / 2, 2), "USD");
                        Outside(paidAt, () => SignalAsync(invoice.Id, new CaseEvent.PaymentReceived(paidAt, amount, "pay-" + invoice.Id, "stripe")));
                    }
                }

                if (random.Next(3) == 0)
                {
                    var at = Start.AddDays(random.Next(0, 70)).AddMinutes(random.Next(0, 1440));
                    Channel? channel = random.Next(2) == 0 ? null : (Channel)random.Next(3);
                    Outside(at, async () =>
                    {
                        ceased[customer.Id] = (at, channel);
                        var result = await app.Customers.RequestAsync(customer.Id, channel, "asked by phone", default)
                            ?? throw new InvalidOperationException("no customer");
                        foreach (var told in result.CasesTold)
                        {
                            wake[told] = at;
                        }
                    });
                }

                app.Ledger.UpsertAsync([customer], [], default).GetAwaiter().GetResult();
            }
        }

        private void Outside(DateTimeOffset at, Func<Task> apply) => outside.Add((at, random.Next(), apply));

        private async Task SignalAsync(InvoiceId id, CaseEvent signal)
        {
            if (await app.Cases.GetAsync(id, default) is { } record && CaseRules.Check(record.State, signal) is CommandResult.Accepted)
            {
                await app.Workflows.SignalAsync(id, signal, default);
                wake[id] = signal.At;
            }
        }

        private async Task DriveAsync()
        {
            var pending = outside.OrderBy(o => o.At).ThenBy(o => o.Order).ToList();
            var end = Start.AddDays(200);
            while (true)
            {
                var nextCase = wake.Values.Where(w => w is not null).Select(w => w!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
                var nextOutside = pending.Count > 0 ? pending[0].At : DateTimeOffset.MaxValue;
                var now = nextCase < nextOutside ? nextCase : nextOutside;
                if (now > end)
                {
                    return;
                }

                app.Clock.Now = now;
                if (nextOutside <= nextCase)
                {
                    var o = pending[0];
                    pending.RemoveAt(0);
                    await o.Apply();
                    continue;
                }

                // Cases due at the same instant run in a random order, as two runners or orchestrations might.
                var due = wake.Where(w => w.Value == now).Select(w => w.Key).OrderBy(_ => random.Next()).ToList();
                foreach (var id in due)
                {
                    await VisitAsync(id, now);
                }
            }
        }

        private async Task VisitAsync(InvoiceId id, DateTimeOffset now)
        {
            for (var transitions = 0; transitions < 200; transitions++)
            {
                var stored = (await app.Cases.GetAsync(id, default))!.State;
                var step = CaseDecider.Step(stored, now);
                var state = step.State;
                if (step.Applied.Count > 0)
                {
                    await SaveAsync(state, now);
                }

                switch (step.Next)
                {
                    case Decision.Perform perform:
                        var done = await app.Effects.PerformAsync(state, perform.Action, now, default);
                        if (random.Next(4) == 0)
                        {
                            // A retried activity or a restarted runner performs the same effect again: same answer, nothing new sent.
                            var again = await app.Effects.PerformAsync(state, perform.Action, now, default);
                            if (again != done)
                            {
                                Problems.Add($"{id} at {now:O}: a retried {perform.Action.Key} answered {again} after {done}");
                            }
                        }

                        if (done is CaseEvent.ContactMade made)
                        {
                            Sent++;
                            await CheckCarriedAsync(state, made, now);
                        }

                        await SaveAsync(CaseDecider.Evolve(state, done), now);
                        continue;
                    case Decision.Wait wait:
                        wake[id] = wait.Until;
                        return;
                    case Decision.Ended:
                        wake[id] = null;
                        return;
                }
            }

            Problems.Add($"{id} made 200 transitions at {now:O}: a loop");
            wake[id] = null;
        }

        private async Task CheckCarriedAsync(CaseState state, CaseEvent.ContactMade made, DateTimeOffset now)
        {
            var record = await app.Contacts.GetAsync(state.Customer.Id, default);
            var message = record.Contacts.Single(c => c.Key == $"{state.InvoiceId}/{made.Key}");
            foreach (var step in message.Carried.Where(s => s.Invoice != state.InvoiceId))
            {
                var sibling = (await app.Cases.GetAsync(step.Invoice, default))!.State;
                if (sibling.Outcome is not null || !sibling.PrincipalBalance.IsPositive)
                {
                    Problems.Add($"{message.Key} at {now:O} listed {step.Invoice}, which owes nothing ({sibling.Outcome?.Kind})");
                }
            }
        }

        private Task SaveAsync(CaseState state, DateTimeOffset now) =>
            app.Cases.SaveAsync(new CaseRecord(state, CaseStatus.Of(state, CaseDecider.Decide(state, now), now)), default);

        private async Task CheckAsync()
        {
            var all = await app.Cases.AllAsync(default);
            foreach (var customer in all.GroupBy(r => r.State.Customer.Id))
            {
                var cap = caps[customer.Key];
                var sent = customer.SelectMany(r => r.State.History.OfType<CaseEvent.ContactMade>().Select(c => (r.State.InvoiceId, c))).OrderBy(x => x.c.At).ToList();
                foreach (var (invoice, contact) in sent)
                {
                    var inWindow = sent.Count(x => x.c.At > contact.At - TimeSpan.FromDays(cap.Days) && x.c.At <= contact.At);
                    if (inWindow > cap.MaxContacts)
                    {
                        Problems.Add($"{customer.Key}: {inWindow} contacts in the {cap.Days} days to {contact.At:O} (cap {cap.MaxContacts}), the last about {invoice}");
                    }

                    if (ceased.TryGetValue(customer.Key, out var cease) && contact.At >= cease.At && (cease.Channel is null || cease.Channel == contact.Channel))
                    {
                        Problems.Add($"{customer.Key}: {contact.Channel} '{contact.StepId}' about {invoice} at {contact.At:O}, after the customer's cease at {cease.At:O}");
                    }
                }

                var emails = sent.Count(x => x.c.Channel == Channel.Email);
                var delivered = app.Mailer.Sent.Values.Count(e => customer.Any(r => e.Key.StartsWith(r.State.InvoiceId.Value + "/", StringComparison.Ordinal)));
                if (emails != delivered)
                {
                    Problems.Add($"{customer.Key}: {emails} emails in the timelines but {delivered} delivered");
                }
            }
        }
    }
}
