using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using static Dunning.Cases.CaseEvent;

namespace Dunning.Functions.Tests.Engine;

/// <summary>
/// A signal accepted with a 202 ("queued") that the case then refuses is not dropped on the Azure host: the case's
/// timeline, read through the stores as GET /api/cases/{id} reads it, shows the refusal, why, and when it was received.
/// </summary>
public sealed class RefusedSignalTests : IAsyncLifetime
{
    private CaseEngine engine = null!;

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => engine = await CaseEngine.StartAsync();

    public async ValueTask DisposeAsync() => await engine.DisposeAsync();


    private async Task<CaseView> ViewAsync(InvoiceId id) =>
        CaseView.Of((await engine.Cases.GetAsync(id, Ct))!, (await engine.Notes.OfAsync(id, Ct)).Select(n => n.ToEntry()));

    [Fact]
    public async Task A_payment_in_a_currency_the_case_does_not_use_shows_in_its_timeline_as_refused_with_why_and_changes_nothing()
    {
        var state = CaseEngine.PausedCase("refused-currency");
        Assert.True(await engine.Workflows.StartAsync(state, Ct));
        var sentAt = DateTimeOffset.UtcNow;
        var euros = new PaymentReceived(sentAt, new Money(400m, "EUR"), "wire-eur", "manual");

        await engine.Workflows.SignalAsync(state.InvoiceId, euros, Ct);
        await engine.Workflows.SignalAsync(state.InvoiceId, new PaymentReceived(DateTimeOffset.UtcNow, new Money(1_000m, "USD"), "wire-usd", "manual"), Ct);

        // The case goes on after the refusal: the USD payment that followed it settles the case.
        var final = await engine.CompletionAsync(state.InvoiceId, Ct);
        Assert.Equal(OutcomeKind.Paid, final.Outcome?.Kind);
        Assert.DoesNotContain(euros, final.History);

        var view = await ViewAsync(state.InvoiceId);
        var refused = Assert.Single(view.Timeline, e => e.Refused is not null);
        Assert.Equal(euros, refused.Event);
        Assert.Equal("currency: the invoice is in USD, not EUR.", refused.Refused);
        Assert.StartsWith("Refused: payment 400.00 EUR", refused.What, StringComparison.Ordinal);
        Assert.InRange(refused.At, sentAt.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.True(view.Timeline.Single(e => e.Event is CaseClosed).At >= refused.At, "the refusal stands before the close it preceded");
        var note = Assert.Single(view.Signals!);
        Assert.Equal((SignalNote.Refused, refused.At), (note.Outcome, note.ReceivedAt));
    }

    [Fact]
    public async Task A_signal_an_ended_case_refuses_is_noted_once_and_starts_nothing()
    {
        var state = CaseEngine.PausedCase("refused-ended");
        Assert.True(await engine.Workflows.StartAsync(state, Ct));
        await engine.Workflows.SignalAsync(state.InvoiceId, new PaymentReceived(DateTimeOffset.UtcNow, new Money(1_000m, "USD"), "wire-usd", "manual"), Ct);
        var paid = await engine.CompletionAsync(state.InvoiceId, Ct);
        Assert.Equal(OutcomeKind.Paid, paid.Outcome?.Kind);

        var pause = new Paused(DateTimeOffset.UtcNow, "customer asked for a week");
        await engine.Workflows.SignalAsync(state.InvoiceId, pause, Ct);
        await engine.Workflows.SignalAsync(state.InvoiceId, pause, Ct);

        var view = await ViewAsync(state.InvoiceId);
        var refused = Assert.Single(view.Timeline, e => e.Refused is not null);
        Assert.Equal(pause, refused.Event);
        Assert.StartsWith("The case ended as paid on ", refused.Refused, StringComparison.Ordinal);
        Assert.Equal(paid, await engine.CompletionAsync(state.InvoiceId, Ct));
    }
}
