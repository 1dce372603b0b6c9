using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;

namespace Dunning.Tests.Cases;

/// <summary>A contact the host made, as the tests see it.</summary>
public sealed record Contacted(
    DateTimeOffset At,
    ContactPurpose Purpose,
    string StepId,
    Channel Channel,
    ContactRole Role,
    string Recipient,
    Tone Tone,
    string Template,
    string Key);

/// <summary>
/// The host loop, written once: decide; perform an action and evolve with its result; apply an event;
/// wait by moving the clock; stop when the case has ended. Signals are evolved in between, as a host
/// does when a webhook or a person sends one while the case waits.
/// </summary>
/// <remarks>
/// <see cref="Dunning.Simulation.CaseSimulator"/> has the same loop, but bound to a scripted payer model
/// and a queue of signals, and it records only ladder-less contact summaries; these tests need to stop
/// at a given instant, send one signal, and see every decision, role and purpose.
/// </remarks>
public sealed class Run
{
    public const int MaxDecisions = 2_000;

    private Run(CaseState state, DateTimeOffset now)
    {
        State = state;
        Now = now;
    }

    public CaseState State { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public List<Contacted> Contacts { get; } = [];

    /// <summary>Every decision with the instant and the state it was made on, for the determinism property.</summary>
    public List<(DateTimeOffset At, CaseState State, Decision Decision)> Decisions { get; } = [];

    public IEnumerable<Contacted> Ladder => Contacts.Where(c => c.Purpose == ContactPurpose.Ladder);

    public IEnumerable<string> LadderSteps => Ladder.Select(c => c.StepId);

    public Outcome? Outcome => State.Outcome;

    /// <summary>What the case would do now (without doing it).</summary>
    public Decision Next => CaseDecider.Decide(State, Now);

    public static Run Start(CaseState state, DateTimeOffset? at = null) => new(state, at ?? state.OpenedAt);

    /// <summary>Drives the case up to <paramref name="until"/>: the clock then stands at <paramref name="until"/>, whether the case waits or has ended.</summary>
    public Run Until(DateTimeOffset until)
    {
        Drive(until);
        return this;
    }

    /// <summary>Drives the case until it has ended. A case left waiting for a signal that never comes is a failure.</summary>
    public Run ToEnd()
    {
        Drive(null);
        return this;
    }

    /// <summary>A signal arrives now (a webhook, a person): evolved as the host does, without asking the case first.</summary>
    public Run When(Func<DateTimeOffset, CaseEvent> signal)
    {
        State = CaseDecider.Evolve(State, signal(Now));
        return this;
    }

    /// <summary>Drives the case to <paramref name="at"/>, then the signal arrives.</summary>
    public Run At(DateTimeOffset at, Func<DateTimeOffset, CaseEvent> signal) => Until(at).When(signal);

    private void Drive(DateTimeOffset? until)
    {
        while (true)
        {
            if (Decisions.Count >= MaxDecisions)
            {
                throw new InvalidOperationException($"No end after {MaxDecisions} decisions; the last were: {string.Join("; ", Decisions.TakeLast(5).Select(d => $"{d.At:O} {d.Decision}"))}");
            }

            var decision = CaseDecider.Decide(State, Now);
            Decisions.Add((Now, State, decision));
            switch (decision)
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    Contacts.Add(new Contacted(Now, contact.Purpose, contact.StepId, contact.Channel, contact.Role, contact.Recipient.Address, contact.Tone, contact.Template, contact.Key));
                    State = CaseDecider.Evolve(State, contact.Done(Now));
                    break;
                case Decision.Perform { Action: CaseAction.FileEvidence file }:
                    State = CaseDecider.Evolve(State, file.Done(Now, "evidence/" + State.InvoiceId));
                    break;
                case Decision.Perform other:
                    throw new InvalidOperationException($"Unknown action {other.Action}.");
                case Decision.Apply apply:
                    State = CaseDecider.Evolve(State, apply.Event);
                    break;
                case Decision.Wait { Until: { } wake } when wake <= Now:
                    throw new InvalidOperationException($"At {Now:O} the case waits until {wake:O}, which is not in the future: a host would spin. ({decision})");
                case Decision.Wait { Until: { } wake } when until is null || wake <= until:
                    Now = wake;
                    break;
                case Decision.Wait wait when until is null:
                    throw new InvalidOperationException($"At {Now:O} the case waits for a signal only: {wait.Reason}");
                case Decision.Wait:
                    Now = until!.Value > Now ? until.Value : Now;
                    return;
                case Decision.Ended:
                    // The case sleeps but the clock goes on: a late signal arrives at the host's time.
                    Now = until is { } end && end > Now ? end : Now;
                    return;
                default:
                    throw new InvalidOperationException($"Unknown decision {decision}.");
            }
        }
    }
}
