using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Runner;
using Dunning.Local.Storage;
using Dunning.Policies;
using Dunning.UseCases;
using Dunning.Webhooks;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>
/// <c>dunning demo</c>: four months of a sample business on a simulated clock, through the same runner, use cases
/// and adapters as <c>serve</c>. Payments arrive as signed Stripe and generic webhooks (signed with the core's
/// helpers and verified before use); staff agree plans, take promises, resolve disputes and record a cease request.
/// </summary>
internal static class Demo
{
    public static async Task<int> RunAsync(string data, DunningPolicy policy, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        Wipe(data);
        if (ReferenceEquals(policy, DefaultPolicy.Value))
        {
            policy = policy with { Business = DemoBusiness.Profile };
        }

        var clock = new SimulatedClock(DemoBusiness.Start);
        var app = LocalApp.Open(data, policy, clock, CliLogs.Factory);
        var script = new Script(app, clock);
        var accounts = DemoBusiness.Accounts;
        await app.Ledger.UpsertAsync(
            [.. accounts.Select(a => a.Customer)],
            [.. accounts.Select(a => a.Invoice), .. DemoBusiness.Later, .. DemoBusiness.NotYetDue],
            ct);

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"[bold]{policy.Business.Name}[/]: {accounts.Count} customers, {accounts.Count + DemoBusiness.Later.Count + DemoBusiness.NotYetDue.Count} invoices, {DemoBusiness.Start:yyyy-MM-dd} → {DemoBusiness.End:yyyy-MM-dd} on a simulated clock.");
        var result = await Commands.WithProgressAsync("Four months of collections", DemoBusiness.Start, DemoBusiness.End,
            progress => app.Driver!.AdvanceAsync(DemoBusiness.End, script.Agenda(), progress, ct));
        watch.Stop();

        await DemoSummary.PrintAsync(app, script.Story, result, watch.Elapsed, ct);
        return CommandLine.Ok;
    }

    /// <summary>Starts from an empty folder. A folder that holds something other than a dunning data folder is never wiped.</summary>
    private static void Wipe(string data)
    {
        if (!Directory.Exists(data))
        {
            return;
        }

        var entries = Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName).ToList();
        var ours = new HashSet<string?>(StringComparer.Ordinal)
        {
            "dunning.db", "dunning.db-wal", "dunning.db-shm", "outbox", "letters", "evidence", "policy.json", "appsettings.json", FolderLock.FileName, FolderLock.OwnerFileName,
        };
        if (entries.Any(e => !ours.Contains(e)))
        {
            throw new CliException($"{data} holds files that are not a dunning data folder; the demo wipes its folder first, so give it an empty or new one with --data.");
        }

        // The demo holds the folder's lock while it wipes: everything goes but the lock and its owner note.
        foreach (var entry in Directory.EnumerateFileSystemEntries(data).Where(e => Path.GetFileName(e) is not (FolderLock.FileName or FolderLock.OwnerFileName)).ToList())
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>A thing that happened in the demo's story, and how the system answered.</summary>
    public sealed record StoryLine(DateTimeOffset At, string Customer, string What, string Answer);

    /// <summary>What the customers and the staff of the sample business do, at fixed days after each invoice's due date.</summary>
    private sealed class Script(LocalApp app, SimulatedClock clock)
    {
        private readonly string stripeSecret = "whsec_demo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        private readonly string genericSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        private int events;

        public List<StoryLine> Story { get; } = [];

        public IEnumerable<Appointment> Agenda()
        {
            // Payments.
            yield return At("INV-1001", 5, "pays in full by card (Stripe payment_intent.succeeded)", ct => StripeAsync("INV-1001", "payment_intent.succeeded", null, ct));
            yield return At("INV-1002", 16, "pays by bank transfer (generic webhook)", ct => GenericAsync("INV-1002", null, ct));
            yield return At("INV-1003", 6, "pays $1,000.00 of $2,750.00 (Stripe invoice.paid)", ct => StripeAsync("INV-1003", "invoice.paid", 1_000m, ct));
            yield return At("INV-1003", 24, "pays the rest (generic webhook)", ct => GenericAsync("INV-1003", null, ct));
            yield return At("INV-1017", 2, "pays by card (Stripe)", ct => StripeAsync("INV-1017", "payment_intent.succeeded", null, ct));
            yield return At("INV-1018", 15, "pays by transfer (generic webhook)", ct => GenericAsync("INV-1018", null, ct, eventId: "bank-feed-1018"));
            yield return At("INV-1018", 15, "the bank feed delivers the same event again", ct => GenericAsync("INV-1018", 980m, ct, eventId: "bank-feed-1018"), minutes: 20);
            yield return At("INV-1019", 16, "pays €2,000.00 of €4,750.00 (Stripe)", ct => StripeAsync("INV-1019", "payment_intent.succeeded", 2_000m, ct));
            yield return At("INV-1020", 4, "pays by card (Stripe)", ct => StripeAsync("INV-1020", "payment_intent.succeeded", null, ct, reference: "ch_demo_1020"));
            yield return At("INV-1020", 12, "the card payment is charged back (Stripe charge.refunded)", ct => RefundAsync("INV-1020", "ch_demo_1020", 1_250m, ct));
            yield return At("INV-1020", 33, "pays again by transfer (generic webhook)", ct => GenericAsync("INV-1020", null, ct));
            yield return At("INV-1021", 17, "pays by card (Stripe)", ct => StripeAsync("INV-1021", "payment_intent.succeeded", null, ct));
            yield return At("INV-1023", 24, "pays by card after the letter (Stripe)", ct => StripeAsync("INV-1023", "payment_intent.succeeded", null, ct));
            yield return At("INV-1016", 90, "pays everything after being flagged (generic webhook)", ct => GenericAsync("INV-1016", null, ct));
            yield return Unmatched(new DateTimeOffset(2026, 2, 10, 17, 0, 0, TimeSpan.Zero));

            // Negotiation: a plan kept, a plan broken, a promise kept.
            yield return At("INV-1004", 15, "agrees 3 installments, 14 days apart", ct => CommandAsync("INV-1004", (id, now) =>
                app.Commands.AgreePlanAsync(id, new PlanRequest(Count: 3, FirstDueDate: Day(now).AddDays(7), IntervalDays: 14), ct)));
            foreach (var n in new[] { 1, 2, 3 })
            {
                yield return At("INV-1004", 15 + 7 + ((n - 1) * 14), $"pays installment {n} (Stripe)", ct => InstallmentAsync("INV-1004", n, ct));
            }

            yield return At("INV-1005", 15, "agrees 3 installments, 14 days apart", ct => CommandAsync("INV-1005", (id, now) =>
                app.Commands.AgreePlanAsync(id, new PlanRequest(Count: 3, FirstDueDate: Day(now).AddDays(7), IntervalDays: 14), ct)));
            yield return At("INV-1005", 22, "pays installment 1 (generic webhook), then nothing more", ct => InstallmentAsync("INV-1005", 1, ct));
            yield return At("INV-1006", 10, "promises to pay in full in 10 days", ct => CommandAsync("INV-1006", (id, now) =>
                app.Commands.PromiseAsync(id, Day(now).AddDays(10), 900m, ct)));
            yield return At("INV-1006", 19, "keeps the promise (Stripe)", ct => StripeAsync("INV-1006", "payment_intent.succeeded", null, ct));

            // Disputes and a cease request.
            yield return At("INV-1007", 8, "disputes: two cabinets arrived damaged", ct => CommandAsync("INV-1007", (id, _) =>
                app.Commands.OpenDisputeAsync(id, "two of the cabinets arrived damaged", ct)));
            yield return At("INV-1007", 20, "dispute upheld: full credit of £3,200.00", ct => CommandAsync("INV-1007", (id, _) =>
                app.Commands.ResolveDisputeAsync(id, DisputeOutcome.Upheld, 3_200m, "replacement cabinets not available; invoice credited", ct)));
            yield return At("INV-1008", 9, "disputes: the delivery was late", ct => CommandAsync("INV-1008", (id, _) =>
                app.Commands.OpenDisputeAsync(id, "the delivery was two days late", ct)));
            yield return At("INV-1008", 19, "dispute rejected: delivered on the agreed date", ct => CommandAsync("INV-1008", (id, _) =>
                app.Commands.ResolveDisputeAsync(id, DisputeOutcome.Rejected, null, "the signed delivery note shows the agreed date", ct)));
            yield return At("INV-1022", 8, "disputes: one case of wine was corked", ct => CommandAsync("INV-1022", (id, _) =>
                app.Commands.OpenDisputeAsync(id, "one case of wine was corked", ct)));
            yield return At("INV-1022", 15, "dispute upheld in part: credit $160.00", ct => CommandAsync("INV-1022", (id, _) =>
                app.Commands.ResolveDisputeAsync(id, DisputeOutcome.Upheld, 160m, "one case credited", ct)));
            yield return At("INV-1022", 20, "pays the rest (generic webhook)", ct => GenericAsync("INV-1022", null, ct));
            yield return At("INV-1009", 12, "asks us in writing to stop contacting them", ct => CommandAsync("INV-1009", (id, _) =>
                app.Commands.CeaseAsync(id, null, "letter received asking us to stop all contact", ct)));
        }

        private Appointment At(string invoice, int daysAfterDue, string what, Func<CancellationToken, Task> run, int minutes = 0)
        {
            var due = DemoBusiness.Accounts.Single(a => a.Invoice.Id.Value == invoice).Invoice.DueDate;
            var at = new DateTimeOffset(due.AddDays(daysAfterDue).ToDateTime(new TimeOnly(16, minutes)), TimeSpan.Zero);
            return new Appointment(at, what, run);
        }

        private Appointment Unmatched(DateTimeOffset at) => new(at, "a payment for an invoice we do not know", async ct =>
        {
            var payload = Generic("INV-9999", 120m, "USD", at, "transfer-9999", NextEventId());
            await DeliverGenericAsync("(unknown)", "a transfer names invoice INV-9999, which we do not know", payload, at, ct);
        });

        private async Task StripeAsync(string invoice, string type, decimal? amount, CancellationToken ct, string? reference = null)
        {
            var now = clock.Now;
            var (customer, currency, balance) = await AccountAsync(invoice, ct);
            var pay = amount ?? balance;
            var eventId = NextEventId();
            var minor = (long)(pay * 100m);
            var item = type == "invoice.paid"
                ? (object)new Dictionary<string, object>
                {
                    ["id"] = reference ?? "in_demo_" + eventId[8..],
                    ["object"] = "invoice",
                    ["amount_paid"] = minor,
                    ["currency"] = currency.ToLowerInvariant(),
                    ["status_transitions"] = new Dictionary<string, object> { ["paid_at"] = now.ToUnixTimeSeconds() },
                    ["metadata"] = new Dictionary<string, object> { ["invoice_id"] = invoice },
                }
                : new Dictionary<string, object>
                {
                    ["id"] = reference ?? "pi_demo_" + eventId[8..],
                    ["object"] = "payment_intent",
                    ["amount_received"] = minor,
                    ["currency"] = currency.ToLowerInvariant(),
                    ["created"] = now.ToUnixTimeSeconds(),
                    ["metadata"] = new Dictionary<string, object> { ["invoice_id"] = invoice },
                };
            var payload = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = eventId,
                ["object"] = "event",
                ["type"] = type,
                ["created"] = now.ToUnixTimeSeconds(),
                ["data"] = new Dictionary<string, object> { ["object"] = item },
            });
            await DeliverStripeAsync(customer, $"{Currencies.Format(new Money(pay, currency))} by card ({type})", payload, now, ct);
        }

        private async Task RefundAsync(string invoice, string charge, decimal amount, CancellationToken ct)
        {
            var now = clock.Now;
            var (customer, currency, _) = await AccountAsync(invoice, ct);
            var payload = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["id"] = NextEventId(),
                ["object"] = "event",
                ["type"] = "charge.refunded",
                ["created"] = now.ToUnixTimeSeconds(),
                ["data"] = new Dictionary<string, object>
                {
                    ["object"] = new Dictionary<string, object>
                    {
                        ["id"] = charge,
                        ["object"] = "charge",
                        ["amount_refunded"] = (long)(amount * 100m),
                        ["currency"] = currency.ToLowerInvariant(),
                        ["metadata"] = new Dictionary<string, object> { ["invoice_id"] = invoice },
                    },
                },
            });
            await DeliverStripeAsync(customer, $"{Currencies.Format(new Money(amount, currency))} charged back (charge.refunded)", payload, now, ct);
        }

        private async Task GenericAsync(string invoice, decimal? amount, CancellationToken ct, string? eventId = null)
        {
            var now = clock.Now;
            var (customer, currency, balance) = await AccountAsync(invoice, ct);
            var pay = amount ?? balance;
            var id = eventId ?? NextEventId();
            await DeliverGenericAsync(customer, $"{Currencies.Format(new Money(pay, currency))} by bank transfer", Generic(invoice, pay, currency, now, "transfer-" + id, id), now, ct);
        }

        private async Task InstallmentAsync(string invoice, int number, CancellationToken ct)
        {
            var state = (await app.Cases.GetAsync(new InvoiceId(invoice), ct))?.State;
            var installment = state?.Plan?.Plan.Installments.FirstOrDefault(i => i.Number == number);
            if (installment is null)
            {
                Story.Add(new StoryLine(clock.Now, state?.Customer.Name ?? invoice, $"installment {number}", "no plan is running any more: nothing paid"));
                return;
            }

            if (number % 2 == 1)
            {
                await StripeAsync(invoice, "payment_intent.succeeded", installment.Amount.Amount, ct);
            }
            else
            {
                await GenericAsync(invoice, installment.Amount.Amount, ct);
            }
        }

        private async Task CommandAsync(string invoice, Func<InvoiceId, DateTimeOffset, Task<CommandResult>> command)
        {
            var id = new InvoiceId(invoice);
            var customer = (await app.Cases.GetAsync(id, CancellationToken.None))?.State.Customer.Name ?? invoice;
            var result = await command(id, clock.Now);
            var (what, answer) = result switch
            {
                CommandResult.Accepted accepted => (CaseStatus.Describe(accepted.Signal), "202 accepted"),
                CommandResult.Unchanged unchanged => ("(repeat)", "200 unchanged: " + unchanged.Detail),
                CommandResult.NotFound notFound => ("(no case)", "404: " + notFound.Detail),
                CommandResult.Conflict conflict => ("(conflict)", "409: " + conflict.Detail),
                CommandResult.Invalid invalid => ("(invalid)", "422: " + string.Join(" ", invalid.Problems)),
                _ => ("?", result.ToString()),
            };
            Story.Add(new StoryLine(clock.Now, customer, what, answer));
        }

        private async Task DeliverStripeAsync(string customer, string what, string payload, DateTimeOffset now, CancellationToken ct)
        {
            var header = StripeWebhook.SignatureHeader(payload, stripeSecret, now);
            var verdict = StripeWebhook.Verify(payload, header, stripeSecret, now);
            var result = await app.Webhooks.HandleAsync(StripeWebhook.Provider, verdict, payload, now, ct);
            Story.Add(new StoryLine(now, customer, what + " — Stripe webhook", Answer(result)));
        }

        private async Task DeliverGenericAsync(string customer, string what, string payload, DateTimeOffset now, CancellationToken ct)
        {
            var (timestamp, signature) = GenericWebhook.Headers(payload, genericSecret, now);
            var verdict = GenericWebhook.Verify(payload, timestamp, signature, genericSecret, now);
            var result = await app.Webhooks.HandleAsync(GenericWebhook.Provider, verdict, payload, now, ct);
            Story.Add(new StoryLine(now, customer, what + " — signed webhook", Answer(result)));
        }

        private async Task<(string Customer, string Currency, decimal Balance)> AccountAsync(string invoice, CancellationToken ct)
        {
            var id = new InvoiceId(invoice);
            if (await app.Cases.GetAsync(id, ct) is { } record)
            {
                var owed = record.State.Balance.IsPositive ? record.State.Balance : record.State.Invoice.Amount;
                return (record.State.Customer.Name, record.State.Currency, owed.Amount);
            }

            var ledgerInvoice = (await app.Ledger.GetInvoiceAsync(id, ct))!;
            var customer = await app.Ledger.GetCustomerAsync(ledgerInvoice.CustomerId, ct);
            return (customer?.Name ?? invoice, ledgerInvoice.Amount.Currency, ledgerInvoice.Outstanding.Amount);
        }

        private static string Generic(string invoice, decimal amount, string currency, DateTimeOffset paidAt, string reference, string eventId) =>
            JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["eventId"] = eventId,
                ["invoiceId"] = invoice,
                ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture),
                ["currency"] = currency,
                ["paidAt"] = paidAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["reference"] = reference,
            });

        private static string Answer(WebhookResult result) => result.Answer switch
        {
            WebhookAnswer.Applied => "200 applied",
            WebhookAnswer.Duplicate => "200 duplicate, nothing new recorded",
            WebhookAnswer.Ignored => "200 ignored: " + result.Detail,
            WebhookAnswer.ForReview => "202 stored for review",
            WebhookAnswer.Unauthorized => "401: " + result.Detail,
            WebhookAnswer.Malformed => "400: " + result.Detail,
            _ => result.Answer.ToString(),
        };

        private string NextEventId() => string.Create(CultureInfo.InvariantCulture, $"evt_demo{++events:D4}");

        private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
    }
}
