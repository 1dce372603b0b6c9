using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Tests.Ports;
using Dunning.UseCases;
using Dunning.Webhooks;

namespace Dunning.Tests.UseCases;

public class DailyScanTests
{
    private static readonly DateTimeOffset ScanTime = new(2026, 1, 10, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GivenOverdueInvoices_WhenScannedTwice_ThenEachGetsOneCase()
    {
        var app = new UseCaseFixture(ScanTime);
        await app.Ledger.UpsertAsync(
            [PortSamples.Customer()],
            [PortSamples.Invoice("OVERDUE", dueDay: 5), PortSamples.Invoice("NOT-YET", dueDay: 31), PortSamples.Invoice("PAID", dueDay: 2, amount: 10m, paid: 10m)],
            default);

        var first = await app.Scan.RunAsync(ScanTime, default);
        var second = await app.Scan.RunAsync(ScanTime.AddHours(1), default);

        Assert.Equal(1, first.Started);
        Assert.Equal(1, first.NothingOwed);
        Assert.Equal(0, second.Started);
        Assert.Equal(["OVERDUE"], (await app.Cases.ListAsync(null, default)).Select(c => c.InvoiceId.Value));
    }

    [Fact]
    public async Task GivenACourtesyNudgeInTheLadder_WhenTheDueDateIsThreeDaysAway_ThenTheCaseStarts()
    {
        var app = new UseCaseFixture(ScanTime);
        await app.Ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("SOON", dueDay: 13), PortSamples.Invoice("LATER", dueDay: 14)], default);

        var result = await app.Scan.RunAsync(ScanTime, default);

        Assert.Equal(1, result.Started);
        Assert.NotNull(await app.Cases.GetAsync(new InvoiceId("SOON"), default));
    }
}

public class PaymentWebhookTests
{
    private const string Secret = "whsec_test";
    private static readonly DateTimeOffset Now = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<UseCaseFixture> WithCaseAsync()
    {
        var app = new UseCaseFixture(Now);
        await app.Ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("INV-1", amount: 500m), PortSamples.Invoice("NO-CASE", dueDay: 28, amount: 80m)], default);
        await app.Scan.RunAsync(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), default);
        return app;
    }

    private static string Body(string eventId, string invoiceId, decimal amount = 200m, string currency = "USD") =>
        $$"""{"eventId":"{{eventId}}","invoiceId":"{{invoiceId}}","amount":{{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"currency":"{{currency}}","paidAt":"2026-02-01T11:00:00Z","reference":"tr-{{eventId}}"}""";

    private static Task<WebhookResult> Deliver(UseCaseFixture app, string body, string secret = Secret)
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = GenericWebhook.SignatureHeader(body, secret, timestamp);
        var verdict = GenericWebhook.Verify(body, timestamp, signature, Secret, Now);
        return app.Webhooks.HandleAsync("generic", verdict, body, Now, default);
    }

    [Fact]
    public async Task GivenASignedPayment_WhenDeliveredTwice_ThenItIsAppliedOnce()
    {
        var app = await WithCaseAsync();

        var first = await Deliver(app, Body("evt-1", "INV-1"));
        var second = await Deliver(app, Body("evt-1", "INV-1"));

        Assert.Equal(WebhookAnswer.Applied, first.Answer);
        Assert.Equal(WebhookAnswer.Duplicate, second.Answer);
        var record = await app.Cases.GetAsync(new InvoiceId("INV-1"), default);
        Assert.Equal(new Money(300m, "USD"), record!.State.PrincipalBalance);
    }

    [Fact]
    public async Task GivenAHostThatDiedAfterActingButBeforeRecordingTheEventId_WhenTheProviderRetries_ThenThePaymentCountsOnce()
    {
        var app = await WithCaseAsync();
        var dead = new PaymentWebhooks(new InMemoryWebhookInbox(), app.Cases, app.Ledger, app.Workflows); // its record is lost with it
        await dead.HandleAsync("generic", Verify(Body("evt-9", "INV-1")), Body("evt-9", "INV-1"), Now, default);
        await dead.HandleAsync("generic", Verify(Body("evt-10", "NO-CASE", amount: 80m)), Body("evt-10", "NO-CASE", amount: 80m), Now, default);

        var retry = await Deliver(app, Body("evt-9", "INV-1"));
        var retryNoCase = await Deliver(app, Body("evt-10", "NO-CASE", amount: 80m));
        var again = await Deliver(app, Body("evt-9", "INV-1"));

        Assert.Equal(WebhookAnswer.Duplicate, retry.Answer);
        Assert.Equal(WebhookAnswer.Applied, retryNoCase.Answer);
        Assert.Equal(WebhookAnswer.Duplicate, again.Answer);
        Assert.Equal(new Money(300m, "USD"), (await app.Cases.GetAsync(new InvoiceId("INV-1"), default))!.State.PrincipalBalance);
        Assert.Equal(new Money(80m, "USD"), (await app.Ledger.GetInvoiceAsync(new InvoiceId("NO-CASE"), default))!.AmountPaid);
    }

    private static WebhookVerdict Verify(string body)
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return GenericWebhook.Verify(body, timestamp, GenericWebhook.SignatureHeader(body, Secret, timestamp), Secret, Now);
    }

    [Fact]
    public async Task GivenAWrongSecret_WhenDelivered_ThenUnauthorizedAndNothingRecorded()
    {
        var app = await WithCaseAsync();

        var result = await Deliver(app, Body("evt-2", "INV-1"), secret: "not-the-secret");

        Assert.Equal(WebhookAnswer.Unauthorized, result.Answer);
        Assert.True(await app.Inbox.TryRecordAsync(new("generic", "evt-2", Now, "{}", null), default));
        Assert.Equal(new Money(500m, "USD"), (await app.Cases.GetAsync(new InvoiceId("INV-1"), default))!.State.PrincipalBalance);
    }

    [Fact]
    public async Task GivenAnUnknownInvoice_WhenDelivered_ThenKeptForReview()
    {
        var app = await WithCaseAsync();

        var result = await Deliver(app, Body("evt-3", "GHOST"));

        Assert.Equal(WebhookAnswer.ForReview, result.Answer);
        Assert.Single(await app.Inbox.ForReviewAsync(default));
    }

    [Fact]
    public async Task GivenAnInvoiceWithoutACase_WhenPaid_ThenTheLedgerRecordsItAndNoCaseStarts()
    {
        var app = await WithCaseAsync();

        var result = await Deliver(app, Body("evt-4", "NO-CASE", amount: 80m));
        var scan = await app.Scan.RunAsync(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero), default);

        Assert.Equal(WebhookAnswer.Applied, result.Answer);
        Assert.Equal(0, scan.Started);
        Assert.Equal(1, scan.NothingOwed);
    }

    [Fact]
    public async Task GivenAPaymentInAnotherCurrency_WhenDelivered_ThenKeptForReviewNotApplied()
    {
        var app = await WithCaseAsync();

        var result = await Deliver(app, Body("evt-5", "INV-1", currency: "EUR"));

        Assert.Equal(WebhookAnswer.ForReview, result.Answer);
        Assert.Equal(new Money(500m, "USD"), (await app.Cases.GetAsync(new InvoiceId("INV-1"), default))!.State.PrincipalBalance);
    }
}

public class CaseCommandTests
{
    // Monday 2 February 2026, 09:00 in Los Angeles: inside the customer's contact window.
    private static readonly DateTimeOffset Now = new(2026, 2, 2, 17, 0, 0, TimeSpan.Zero);

    private static async Task<UseCaseFixture> WithCaseAsync()
    {
        var app = new UseCaseFixture(Now);
        await app.Ledger.UpsertAsync([PortSamples.Customer()], [PortSamples.Invoice("INV-1", amount: 900m)], default);
        await app.Scan.RunAsync(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), default);
        return app;
    }

    private static readonly InvoiceId Id = new("INV-1");

    [Fact]
    public async Task GivenNoCase_WhenStaffAct_ThenNotFound()
    {
        var app = await WithCaseAsync();

        var result = await app.Commands.OpenDisputeAsync(new InvoiceId("GHOST"), "broken", default);

        Assert.IsType<CommandResult.NotFound>(result);
    }

    [Fact]
    public async Task GivenAPlanRequest_WhenItFitsThePolicy_ThenThePlanIsAgreedAndTheLadderPauses()
    {
        var app = await WithCaseAsync();

        var result = await app.Commands.AgreePlanAsync(Id, new PlanRequest(Count: 3, FirstDueDate: new DateOnly(2026, 2, 10), IntervalDays: 30), default);

        var accepted = Assert.IsType<CommandResult.Accepted>(result);
        var plan = Assert.IsType<CaseEvent.PlanAgreed>(accepted.Signal).Plan;
        Assert.Equal([300m, 300m, 300m], plan.Installments.Select(i => i.Amount.Amount));
        Assert.Equal("plan", (await app.Cases.GetAsync(Id, default))!.Status.Status);
    }

    [Fact]
    public async Task GivenAPlanThatBreaksThePolicy_WhenAgreed_ThenEveryProblemIsListed()
    {
        var app = await WithCaseAsync();
        var request = new PlanRequest(Installments: ValueList.Of(
            new PlanRequest.Item(new DateOnly(2026, 1, 20), 10m),
            new PlanRequest.Item(new DateOnly(2026, 6, 1), 100m)));

        var result = await app.Commands.AgreePlanAsync(Id, request, default);

        var invalid = Assert.IsType<CommandResult.Invalid>(result);
        Assert.Contains(invalid.Problems, p => p.StartsWith("installments[0].amount", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("installments[0].dueDate", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("installments[1].dueDate", StringComparison.Ordinal));
        Assert.Contains(invalid.Problems, p => p.StartsWith("installments: they add up", StringComparison.Ordinal));
        Assert.Empty(app.Workflows.Signals);
    }

    [Fact]
    public async Task GivenAnOpenPlan_WhenAnotherIsAgreed_ThenConflict()
    {
        var app = await WithCaseAsync();
        await app.Commands.PromiseAsync(Id, new DateOnly(2026, 2, 15), 900m, default);

        var result = await app.Commands.AgreePlanAsync(Id, new PlanRequest(Count: 2, FirstDueDate: new DateOnly(2026, 2, 10), IntervalDays: 14), default);

        Assert.IsType<CommandResult.Conflict>(result);
    }

    [Fact]
    public async Task GivenNoDispute_WhenResolved_ThenConflict_AndAnUpheldCreditAboveTheBalanceIsInvalid()
    {
        var app = await WithCaseAsync();

        Assert.IsType<CommandResult.Conflict>(await app.Commands.ResolveDisputeAsync(Id, DisputeOutcome.Upheld, 10m, null, default));
        await app.Commands.OpenDisputeAsync(Id, "arrived damaged", default);
        Assert.IsType<CommandResult.Invalid>(await app.Commands.ResolveDisputeAsync(Id, DisputeOutcome.Upheld, 901m, null, default));
        Assert.IsType<CommandResult.Accepted>(await app.Commands.ResolveDisputeAsync(Id, DisputeOutcome.Upheld, 900m, "refund agreed", default));

        var state = (await app.Cases.GetAsync(Id, default))!.State;
        var close = Assert.IsType<Decision.Apply>(CaseDecider.Decide(state, Now));
        Assert.Equal(OutcomeKind.Credited, Assert.IsType<CaseEvent.CaseClosed>(close.Event).Outcome);
    }

    [Fact]
    public async Task GivenAManualPayment_WhenInAnotherCurrencyOrRepeated_ThenRefusedOrUnchanged()
    {
        var app = await WithCaseAsync();

        Assert.IsType<CommandResult.Invalid>(await app.Commands.RecordPaymentAsync(Id, 10m, "EUR", null, "chq-1", default));
        Assert.IsType<CommandResult.Accepted>(await app.Commands.RecordPaymentAsync(Id, 10m, "USD", null, "chq-1", default));
        Assert.IsType<CommandResult.Unchanged>(await app.Commands.RecordPaymentAsync(Id, 10m, "USD", null, "chq-1", default));
    }

    [Fact]
    public async Task GivenAManualPayment_WhenDatedInTheFuture_ThenRefusedNamingPaidAt_AndTheCaseIsNotTold()
    {
        var app = await WithCaseAsync();

        var future = await app.Commands.RecordPaymentAsync(Id, 10m, "USD", new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), "chq-1", default);
        var tomorrow = await app.Commands.RecordPaymentAsync(Id, 10m, "USD", Now.AddDays(1), "chq-2", default);
        var ancient = await app.Commands.RecordPaymentAsync(Id, 10m, "USD", new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), "chq-3", default);

        Assert.Contains("paidAt: 9999-12-31 00:00 UTC is in the future", Assert.IsType<CommandResult.Invalid>(future).Problems.Single(), StringComparison.Ordinal);
        Assert.StartsWith("paidAt: ", Assert.IsType<CommandResult.Invalid>(tomorrow).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("is not a plausible date", Assert.IsType<CommandResult.Invalid>(ancient).Problems.Single(), StringComparison.Ordinal);
        Assert.Empty(app.Workflows.Signals);

        // Within the clock tolerance, and earlier today, are payments already made.
        Assert.IsType<CommandResult.Accepted>(await app.Commands.RecordPaymentAsync(Id, 10m, "USD", Now.AddMinutes(2), "chq-4", default));
        Assert.IsType<CommandResult.Accepted>(await app.Commands.RecordPaymentAsync(Id, 10m, "USD", Now.AddHours(-3), "chq-5", default));
    }

    [Fact]
    public async Task GivenAPausedCase_WhenPausedAgain_ThenUnchanged_AndResumeWorksOnce()
    {
        var app = await WithCaseAsync();

        Assert.IsType<CommandResult.Accepted>(await app.Commands.PauseAsync(Id, "owner on holiday", null, default));
        Assert.IsType<CommandResult.Unchanged>(await app.Commands.PauseAsync(Id, "again", null, default));
        Assert.IsType<CommandResult.Accepted>(await app.Commands.ResumeAsync(Id, default));
        Assert.IsType<CommandResult.Conflict>(await app.Commands.ResumeAsync(Id, default));
    }

    [Fact]
    public async Task GivenAContactStep_WhenPerformedTwice_ThenOneEmailExists()
    {
        var app = await WithCaseAsync();
        var (state, decision, _) = CaseDecider.Step((await app.Cases.GetAsync(Id, default))!.State, Now);

        var perform = Assert.IsType<Decision.Perform>(decision);
        var contact = Assert.IsType<CaseAction.Contact>(perform.Action);
        Assert.Equal(Channel.Email, contact.Channel);

        await app.Effects.PerformAsync(state, contact, Now, default);
        await app.Effects.PerformAsync(state, contact, Now, default);

        var mail = Assert.Single(app.Mailer.Sent.Values);
        Assert.Equal("INV-1/" + contact.Key, mail.Key);
        Assert.Equal("ap@acme.example", mail.To);
    }
}
