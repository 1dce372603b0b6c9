using Dunning.Cases;
using Dunning.Common;
using Dunning.Functions.Orchestration;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Ports;
using Dunning.UseCases;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;

namespace Dunning.Functions.Tests.Orchestration;

/// <summary>The orchestrator as a driver of the decider: played against a scripted context with the real activities on in-memory ports.</summary>
public sealed class CaseOrchestrationTests
{
    private static readonly DateTime Start = new(2026, 1, 9, 17, 0, 0, DateTimeKind.Utc);

    private readonly InMemoryMailer mailer = new();
    private readonly InMemoryDocuments documents = new();
    private readonly InMemoryCaseStore cases = new();

    private readonly InMemoryContactLedger customerLedger = new();
    private readonly InMemorySignalNotes notes = new();

    private CaseActivities Activities => new(
        new CaseEffects(mailer, documents, cases, customerLedger), cases, notes, new TelemetryClient(new TelemetryConfiguration()));

    private static CaseState Opened(decimal amount = 1234.56m) => CaseState.Open(
        PortSamples.Invoice(amount: amount),
        PortSamples.Customer(),
        DefaultPolicy.Value,
        JurisdictionFacts.Unknown("US-CA"),
        new DateTimeOffset(Start, TimeSpan.Zero));

    private ScriptedContext Context(Func<string, string?, Task<string?>>? activities = null) =>
        new(Start, activities ?? RunActivity);

    private async Task<string?> RunActivity(string name, string? input) => name switch
    {
        nameof(CaseActivities.PerformContact) => await Activities.PerformContactAsync(input!, default),
        nameof(CaseActivities.FileEvidence) => await Activities.FileEvidenceAsync(input!, default),
        nameof(CaseActivities.SaveProjection) => await Save(input!),
        nameof(CaseActivities.NoteSignal) => await Note(input!),
        _ => throw new InvalidOperationException($"No activity {name}."),
    };

    private async Task<string?> Save(string input)
    {
        return await Activities.SaveProjectionAsync(input, default);
    }

    private async Task<string?> Note(string input)
    {
        await Activities.NoteSignalAsync(input, default);
        return null;
    }

    private static string Json(CaseEvent signal) => DunningJson.Serialize(signal);

    [Fact]
    public async Task An_unanswered_case_runs_the_ladder_on_timers_and_ends_with_the_evidence_filed()
    {
        var context = Context();

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.NotNull(output.Outcome);
        Assert.True(output.Outcome.IsFlag || output.Outcome.Kind == OutcomeKind.WrittenOff, $"ended as {output.Outcome.Kind}");
        Assert.NotEmpty(mailer.Sent);
        Assert.Single(documents.Evidence);
        Assert.Contains(context.ActivityCalls, c => c.Name == nameof(CaseActivities.FileEvidence));
        Assert.NotEmpty(context.TimersCreated);
        Assert.Equal(1, context.Generations); // no signal: one generation
        var saved = await cases.GetAsync(output.InvoiceId, default);
        Assert.Equal(output, saved!.State);
        Assert.Equal("flagged", saved.Status.Status);
        var portal = Assert.IsType<PortalStatus>(context.LastCustomStatus);
        Assert.Equal("flagged", portal.Status);
    }

    [Fact]
    public async Task The_same_script_gives_the_same_durable_calls_as_a_replay_must()
    {
        var first = Context();
        await first.RunAsync(DunningJson.Serialize(Opened()));
        var second = Context();
        await second.RunAsync(DunningJson.Serialize(Opened()));

        Assert.Equal(first.ActivityCalls, second.ActivityCalls);
        Assert.Equal(first.TimersCreated, second.TimersCreated);
    }

    [Fact]
    public async Task A_payment_in_full_during_a_wait_wins_the_race_cancels_the_timer_and_closes_the_case()
    {
        var paidAt = Start.AddDays(5);
        var context = Context().Signal(paidAt, Json(new CaseEvent.PaymentReceived(
            new DateTimeOffset(paidAt, TimeSpan.Zero), new Money(1234.56m, "USD"), "pi_1", "stripe")));

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.Equal(OutcomeKind.Paid, output.Outcome?.Kind);
        Assert.True(context.TimersCancelled >= 1, "the timer that lost the race is cancelled");
        Assert.Empty(documents.Evidence);
        Assert.Equal("closed", (await cases.GetAsync(output.InvoiceId, default))!.Status.Status);
    }

    [Fact]
    public async Task A_signal_that_is_not_json_or_not_allowed_now_is_ignored_and_the_case_goes_on()
    {
        var resume = new CaseEvent.Resumed(new DateTimeOffset(Start.AddDays(2), TimeSpan.Zero));
        var context = Context()
            .Signal(Start.AddDays(1), "not json at all")
            .Signal(Start.AddDays(2), Json(resume));

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.NotNull(output.Outcome);
        Assert.DoesNotContain(output.History, e => e is CaseEvent.Resumed);

        // The refusal is noted for the case's timeline at the orchestration's time; the unreadable one has nothing to show.
        var note = Assert.Single(await notes.OfAsync(output.InvoiceId, default));
        Assert.Equal((resume, SignalNote.Refused, "The case is not paused.", new DateTimeOffset(Start.AddDays(2), TimeSpan.Zero)), (note.Signal, note.Outcome, note.Note, note.ReceivedAt));
        Assert.Single(context.ActivityCalls, c => c.Name == nameof(CaseActivities.NoteSignal));
    }

    [Fact]
    public async Task Many_signals_continue_as_new_with_the_state_so_history_stays_small()
    {
        var context = Context();
        for (var i = 0; i < 40; i++)
        {
            var at = Start.AddHours(1 + (2 * i));
            context.Signal(at, Json(new CaseEvent.Paused(new DateTimeOffset(at, TimeSpan.Zero), "on the phone")))
                .Signal(at.AddHours(1), Json(new CaseEvent.Resumed(new DateTimeOffset(at.AddHours(1), TimeSpan.Zero))));
        }

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.True(context.Generations >= 2, $"expected ContinueAsNew, ran {context.Generations} generation(s)");
        Assert.Equal(40, output.History.Count(e => e is CaseEvent.Paused));
        Assert.Equal(40, output.History.Count(e => e is CaseEvent.Resumed));
        Assert.All(context.GenerationInputs.Skip(1), input => Assert.True(DunningJson.Deserialize<CaseState>(input).History.Count >= CaseOrchestration.EventsPerGeneration));
    }

    [Fact]
    public async Task An_effect_that_fails_all_its_retries_waits_and_is_tried_again()
    {
        var failures = 1;
        var context = Context(async (name, input) =>
        {
            if (name == nameof(CaseActivities.PerformContact) && failures-- > 0)
            {
                throw new InvalidOperationException("ACS said 503");
            }

            return await RunActivity(name, input);
        });

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.NotNull(output.Outcome);
        var contacts = context.ActivityCalls.Where(c => c.Name == nameof(CaseActivities.PerformContact)).ToList();
        Assert.Equal(EffectInput.FromJson(contacts[0].Input!).Action.Key, EffectInput.FromJson(contacts[1].Input!).Action.Key);
        Assert.Contains(contacts[0].At + CaseOrchestration.EffectRetryDelay, context.TimersCreated);
        Assert.Equal(contacts[0].At + CaseOrchestration.EffectRetryDelay, contacts[1].At);
    }

    [Fact]
    public async Task A_signal_buffered_while_the_last_step_ran_is_applied_before_the_case_finishes()
    {
        // Paid in full by the ledger before the case ever waits: the decider closes it at once; the refund that arrived
        // meanwhile (buffered, no waiter open) must still re-open it rather than be dropped.
        var state = Opened(amount: 100m) with { PaidHere = new Money(100m, "USD") };
        var context = Context().Signal(Start, Json(new CaseEvent.PaymentRefunded(new DateTimeOffset(Start, TimeSpan.Zero), new Money(100m, "USD"), "re_1")));

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(state)));

        Assert.Contains(output.History, e => e is CaseEvent.PaymentRefunded);
    }

    [Fact]
    public async Task Effect_inputs_name_the_case_and_the_activity_reads_it_from_the_stored_projection()
    {
        var context = Context();

        await context.RunAsync(DunningJson.Serialize(Opened()));

        var effects = context.ActivityCalls.Where(c => c.Name is nameof(CaseActivities.PerformContact) or nameof(CaseActivities.FileEvidence)).ToList();
        Assert.NotEmpty(effects);
        // The action (with its rendered message) travels; the case (policy, history) does not.
        Assert.All(effects, c => Assert.DoesNotContain("\"history\"", c.Input!, StringComparison.Ordinal));
        Assert.All(effects, c => Assert.DoesNotContain("\"policy\"", c.Input!, StringComparison.Ordinal));
        Assert.NotEmpty(mailer.Sent);
    }

    [Fact]
    public async Task An_effect_input_of_the_old_shape_still_performs_the_contact_on_the_case_it_carries()
    {
        // What an orchestration in flight during an upgrade has in its history: the whole case in the input. The store
        // is empty, so the contact can only have come from the case the input carries.
        var (state, next, _) = CaseDecider.Step(Opened(), Opened().OpenedAt);

        var contact = Assert.IsType<CaseAction.Contact>(Assert.IsType<Decision.Perform>(next).Action);
        var old = $$"""{"state":{{DunningJson.Serialize(state)}},"action":{{DunningJson.Serialize<CaseAction>(contact)}},"at":"2026-01-09T17:00:00+00:00"}""";

        var done = DunningJson.Deserialize<CaseEvent>(await Activities.PerformContactAsync(old, default));

        var read = EffectInput.FromJson(old);
        Assert.Equal((state.InvoiceId, state.Customer.Id, contact.Key, state.OpenedAt), (read.InvoiceId, read.CustomerId, read.Action.Key, read.At));
        Assert.IsType<CaseEvent.ContactMade>(done);
        Assert.Contains(CaseEffects.IdempotencyKey(state, contact), mailer.Sent.Keys);
    }
    [Fact]
    public async Task The_projection_gets_the_events_since_the_last_save_and_asks_for_the_whole_case_when_the_stored_one_differs()
    {
        var opened = Opened();
        var now = new DateTimeOffset(Start, TimeSpan.Zero);
        var status = CaseStatus.Of(opened, new Decision.Wait(now.AddDays(1), "test"), now);
        var paid = CaseDecider.Evolve(opened, new CaseEvent.PaymentReceived(now.AddHours(1), new Money(100m, "USD"), "pi_9", "stripe"));

        // Nothing stored yet: the events alone cannot make the case.
        Assert.Equal(ProjectionInput.Stale, await Activities.SaveProjectionAsync(ProjectionInput.Delta(paid, opened.History.Count, status).ToJson(), default));
        Assert.Null(await cases.GetAsync(opened.InvoiceId, default));

        Assert.Equal(ProjectionInput.Saved, await Activities.SaveProjectionAsync(ProjectionInput.Whole(opened, status).ToJson(), default));
        var delta = ProjectionInput.Delta(paid, opened.History.Count, status);
        Assert.Single(delta.Events);
        Assert.Null(delta.State);
        Assert.Equal(ProjectionInput.Saved, await Activities.SaveProjectionAsync(delta.ToJson(), default));
        Assert.Equal(paid, (await cases.GetAsync(opened.InvoiceId, default))!.State);

        // A retried save that already landed finds its events there.
        Assert.Equal(ProjectionInput.Saved, await Activities.SaveProjectionAsync(delta.ToJson(), default));
        Assert.Equal(paid, (await cases.GetAsync(opened.InvoiceId, default))!.State);

        // Events that do not lead to the orchestration's case (another payment than the stored case has) are refused.
        var other = CaseDecider.Evolve(opened, new CaseEvent.PaymentReceived(now.AddHours(1), new Money(50m, "USD"), "pi_8", "stripe"));
        var twice = CaseDecider.Evolve(other, new CaseEvent.PaymentReceived(now.AddHours(2), new Money(5m, "USD"), "pi_7", "stripe"));
        Assert.Equal(ProjectionInput.Stale, await Activities.SaveProjectionAsync(ProjectionInput.Delta(twice, other.History.Count, status).ToJson(), default));
        Assert.Equal(paid, (await cases.GetAsync(opened.InvoiceId, default))!.State);
    }

    [Fact]
    public async Task A_projection_input_of_the_old_shape_a_whole_case_record_is_still_saved()
    {
        var opened = Opened();
        var now = new DateTimeOffset(Start, TimeSpan.Zero);
        var record = new CaseRecord(opened, CaseStatus.Of(opened, new Decision.Wait(now.AddDays(1), "test"), now));

        Assert.Equal(ProjectionInput.Saved, await Activities.SaveProjectionAsync(DunningJson.Serialize(record), default));

        Assert.Equal(record, await cases.GetAsync(opened.InvoiceId, default));
    }

    [Fact]
    public async Task A_case_saves_its_projection_whole_once_and_then_only_what_changed()
    {
        var context = Context();

        await context.RunAsync(DunningJson.Serialize(Opened()));

        var saves = context.ActivityCalls.Where(c => c.Name == nameof(CaseActivities.SaveProjection)).Select(c => ProjectionInput.Read(c.Input!)).ToList();
        Assert.True(saves.Count > 3, $"{saves.Count} saves");
        Assert.NotNull(saves[0].State);
        Assert.All(saves.Skip(1), s => Assert.Null(s.State));
        Assert.All(saves.Skip(1), s => Assert.NotEmpty(s.Events));
    }
    [Fact]
    public async Task A_payment_delivered_while_the_projection_is_saved_before_an_effect_stops_that_effect()
    {
        // A first run finds the save that comes right before the first contact.
        var dry = Context();
        await dry.RunAsync(DunningJson.Serialize(Opened()));
        var firstContact = dry.ActivityCalls.FindIndex(c => c.Name == nameof(CaseActivities.PerformContact));
        Assert.Equal(nameof(CaseActivities.SaveProjection), dry.ActivityCalls[firstContact - 1].Name);
        mailer.Sent.Clear();

        ScriptedContext? context = null;
        context = Context(async (name, input) =>
        {
            if (context!.ActivityCalls.Count == firstContact)
            {
                context.Raise(Json(new CaseEvent.PaymentReceived(new DateTimeOffset(context.Clock, TimeSpan.Zero), new Money(1234.56m, "USD"), "pi_during_save", "stripe")));
            }

            return await RunActivity(name, input);
        });

        var output = DunningJson.Deserialize<CaseState>(await context.RunAsync(DunningJson.Serialize(Opened())));

        Assert.Equal(OutcomeKind.Paid, output.Outcome?.Kind);
        Assert.Empty(mailer.Sent);
        Assert.DoesNotContain(context.ActivityCalls, c => c.Name == nameof(CaseActivities.PerformContact));
    }
}
