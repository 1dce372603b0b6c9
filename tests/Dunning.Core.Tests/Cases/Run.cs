using Dunning.Cases;
using Dunning.Customers;
using Dunning.Policies;
using Dunning.Simulation;

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
/// The tests' host: the core's own interpreter (<see cref="CaseRun"/>, effects performed as data) driven
/// to a given instant or to the end, moving the clock to each wait's end. Signals are evolved in between,
/// when the test sends one while the case waits.
/// </summary>
/// <remarks>
/// <see cref="Dunning.Simulation.CaseSimulator"/> drives the same interpreter with a scripted payer model
/// and a queue of signals, and records only contact summaries; these tests need to stop at a given
/// instant, send one signal, and see every decision, role and purpose.
/// </remarks>
public sealed class Run
{
    public const int MaxDecisions = 2_000;

    private CaseRun run;

    private Run(CaseState state, DateTimeOffset now) => run = Interpreter(state, now);

    public CaseState State => run.State;

    public DateTimeOffset Now => run.Now;

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
        run = Interpreter(CaseDecider.Evolve(State, signal(Now)), Now);
        return this;
    }

    /// <summary>Drives the case to <paramref name="at"/>, then the signal arrives.</summary>
    public Run At(DateTimeOffset at, Func<DateTimeOffset, CaseEvent> signal) => Until(at).When(signal);

    private static CaseRun Interpreter(CaseState state, DateTimeOffset now) => new(state, now, "evidence/" + state.InvoiceId);

    private void Drive(DateTimeOffset? until)
    {
        while (true)
        {
            if (Decisions.Count >= MaxDecisions)
            {
                throw new InvalidOperationException($"No end after {MaxDecisions} decisions; the last were: {string.Join("; ", Decisions.TakeLast(5).Select(d => $"{d.At:O} {d.Decision}"))}");
            }

            var before = State;
            var (step, _) = run.Step();
            Record(before, step);
            switch (step.Next)
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    Contacts.Add(new Contacted(Now, contact.Purpose, contact.StepId, contact.Channel, contact.Role, contact.Recipient.Address, contact.Tone, contact.Template, contact.Key));
                    break;
                case Decision.Perform { Action: CaseAction.FileEvidence }:
                    break;
                case Decision.Wait { Until: { } wake } when until is null || wake <= until:
                    run.AdvanceTo(wake);
                    break;
                case Decision.Wait wait when until is null:
                    throw new InvalidOperationException($"At {Now:O} the case waits for a signal only: {wait.Reason}");
                case Decision.Wait:
                    run.AdvanceTo(until!.Value);
                    return;
                case Decision.Ended:
                    // The case sleeps but the clock goes on: a late signal arrives at the host's time.
                    run.AdvanceTo(until ?? Now);
                    return;
                default:
                    throw new InvalidOperationException($"Unknown decision {step.Next}.");
            }
        }
    }

    /// <summary>Every decision of the step, with the state it was made on: each event it applied, then what it asked of the host.</summary>
    private void Record(CaseState before, CaseStep step)
    {
        foreach (var applied in step.Applied)
        {
            Decisions.Add((Now, before, new Decision.Apply(applied)));
            before = CaseDecider.Evolve(before, applied);
        }

        Decisions.Add((Now, before, step.Next));
    }
}
