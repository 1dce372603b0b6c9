using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Ports;
using Dunning.Tests.Ports;

namespace Dunning.Tests.UseCases;

/// <summary>Call tasks are work items: a person logs how the call went, the case hears it, and the task leaves the list.</summary>
public class CallTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 15, 0, 0, TimeSpan.Zero);
    private static readonly InvoiceId Invoice = new("INV-1");
    private const string Key = "INV-1/step-call";

    private static async Task<UseCaseFixture> WithCallAsync()
    {
        var app = new UseCaseFixture(Now);
        await app.Ledger.UpsertAsync([PortSamples.Customer() with { OptedOut = ValueList<Channel>.Empty }], [PortSamples.Invoice("INV-1", amount: 500m)], default);
        await app.Scan.RunAsync(new DateTimeOffset(2026, 1, 10, 6, 0, 0, TimeSpan.Zero), default);
        await app.Cases.AddCallTaskAsync(new CallTask(Key, Invoice, "Acme", "Pat", "+1 555 0101", "I'm calling about invoice N-1.", Now.AddHours(-3)), default);
        return app;
    }

    private static async Task<IReadOnlyList<CallTask>> ToMakeAsync(UseCaseFixture app)
    {
        var records = (await app.Cases.AllAsync(default)).ToDictionary(r => r.State.InvoiceId);
        return [.. (await app.Cases.CallTasksAsync(default)).Where(t => t.IsToMake(records.GetValueOrDefault(t.InvoiceId)?.State))];
    }

    [Fact]
    public async Task A_call_logged_with_no_answer_shows_on_the_case_and_leaves_the_list()
    {
        var app = await WithCallAsync();
        Assert.Single(await ToMakeAsync(app));

        var result = await app.Commands.LogCallAsync(Key, CallOutcome.NoAnswer, "  left a voicemail  ", null, null, null, default);

        var logged = Assert.IsType<CaseEvent.CallLogged>(Assert.IsType<CommandResult.Accepted>(result).Signal);
        Assert.Equal((CallOutcome.NoAnswer, "left a voicemail"), (logged.Outcome, logged.Note));
        var state = (await app.Cases.GetAsync(Invoice, default))!.State;
        Assert.Contains(state.History, e => e is CaseEvent.CallLogged { Key: Key });
        Assert.Empty(await ToMakeAsync(app));
        Assert.Equal(new CallLog(Now, CallOutcome.NoAnswer, "left a voicemail"), (await app.Cases.CallTaskAsync(Key, default))!.Logged);
        Assert.Equal("call 'step-call' made: no-answer — left a voicemail", CaseStatus.Describe(logged));
    }

    [Fact]
    public async Task A_promise_made_on_the_call_becomes_the_case_s_promise_to_pay()
    {
        var app = await WithCallAsync();

        var result = await app.Commands.LogCallAsync(Key, CallOutcome.Promise, null, new DateOnly(2026, 2, 20), 500m, null, default);

        Assert.IsType<CommandResult.Accepted>(result);
        var state = (await app.Cases.GetAsync(Invoice, default))!.State;
        Assert.True(state.Plan is { Plan.IsPromise: true });
        Assert.Equal(new Money(500m, "USD"), state.Plan!.Plan.Installments.Single().Amount);
        Assert.Empty(await ToMakeAsync(app));
    }

    [Fact]
    public async Task A_dispute_raised_on_the_call_pauses_the_case()
    {
        var app = await WithCallAsync();

        Assert.IsType<CommandResult.Accepted>(await app.Commands.LogCallAsync(Key, CallOutcome.Dispute, null, null, null, "says the goods never arrived", default));

        Assert.Equal("says the goods never arrived", (await app.Cases.GetAsync(Invoice, default))!.State.Dispute?.Reason);
    }

    [Fact]
    public async Task A_promise_without_its_date_or_a_refused_promise_logs_nothing()
    {
        var app = await WithCallAsync();

        var missing = Assert.IsType<CommandResult.Invalid>(await app.Commands.LogCallAsync(Key, CallOutcome.Promise, null, null, 100m, null, default));
        Assert.Contains(missing.Problems, p => p.StartsWith("promise:", StringComparison.Ordinal));
        var tooMuch = await app.Commands.LogCallAsync(Key, CallOutcome.Promise, null, new DateOnly(2026, 2, 20), 9_000m, null, default);
        Assert.IsType<CommandResult.Invalid>(tooMuch);
        var reasonOnReached = await app.Commands.LogCallAsync(Key, CallOutcome.Reached, null, null, null, "why", default);
        Assert.IsType<CommandResult.Invalid>(reasonOnReached);

        Assert.Empty(app.Workflows.Signals);
        Assert.Null((await app.Cases.CallTaskAsync(Key, default))!.Logged);
        Assert.Single(await ToMakeAsync(app));
    }

    [Fact]
    public async Task Logging_the_same_call_again_changes_nothing_and_a_different_outcome_is_a_conflict()
    {
        var app = await WithCallAsync();
        await app.Commands.LogCallAsync(Key, CallOutcome.Reached, null, null, null, null, default);

        Assert.IsType<CommandResult.Unchanged>(await app.Commands.LogCallAsync(Key, CallOutcome.Reached, null, null, null, null, default));
        Assert.IsType<CommandResult.Conflict>(await app.Commands.LogCallAsync(Key, CallOutcome.NoAnswer, null, null, null, null, default));
        Assert.IsType<CommandResult.NotFound>(await app.Commands.LogCallAsync("INV-1/step-nothing", CallOutcome.Reached, null, null, null, null, default));
        Assert.Single(app.Workflows.Signals);
    }

    [Fact]
    public async Task A_call_to_a_customer_who_asked_not_to_be_called_is_not_listed()
    {
        var app = await WithCallAsync();

        await app.Commands.CeaseAsync(Invoice, Channel.Call, "asked us not to phone", default);

        Assert.Empty(await ToMakeAsync(app));
    }

    [Fact]
    public async Task A_call_on_a_paused_case_leaves_the_list_and_comes_back_when_it_resumes()
    {
        var app = await WithCallAsync();

        await app.Commands.PauseAsync(Invoice, "talking to their accountant", null, default);
        Assert.Empty(await ToMakeAsync(app));
        await app.Commands.ResumeAsync(Invoice, default);
        Assert.Single(await ToMakeAsync(app));
    }
}
