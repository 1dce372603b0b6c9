using System.Diagnostics;
using Dunning.Cases;
using Dunning.Messages;

namespace Dunning.Simulation;

/// <summary>
/// The pure interpreter of <see cref="CaseDecider.Step"/>: one case on a clock the caller moves, whose effects are
/// performed as data the moment they are decided (a contact is made; the evidence is filed at a given place). The
/// engine of <see cref="CaseSimulator"/> and of the tests' host loop. The hosts do the same with IO around the same
/// step: the orchestration (activities, timers) and the local runner (outbox, SQLite). Messages are written from
/// <paramref name="templates"/> (the shipped ones by default), as by <see cref="CaseDecider.Step"/>.
/// </summary>
public sealed class CaseRun(CaseState state, DateTimeOffset now, string evidenceLocation, MessageTemplates? templates = null)
{
    public CaseState State { get; private set; } = state ?? throw new ArgumentNullException(nameof(state));

    public DateTimeOffset Now { get; private set; } = now;

    /// <summary>Decisions made so far, each applied event and each effect, wait or end counted once.</summary>
    public int Decisions { get; private set; }

    /// <summary>A signal arrives now: checked against the case as it is and folded in (<see cref="CaseDecider.Receive"/>), as both hosts do.</summary>
    public Reception Receive(CaseEvent signal)
    {
        var reception = CaseDecider.Receive(State, signal);
        if (reception is Reception.Applied applied)
        {
            State = applied.State;
        }

        return reception;
    }

    /// <summary>
    /// Takes the case's step at <see cref="Now"/> and performs its effect: returns the step and the event the effect
    /// returned (already folded into <see cref="State"/>), or null when the case waits or has ended.
    /// </summary>
    /// <exception cref="InvalidOperationException">The case asks to wait until a time that is not after <see cref="Now"/>: a host would spin.</exception>
    public (CaseStep Step, CaseEvent? Done) Step()
    {
        var step = CaseDecider.Step(State, Now, templates);
        Decisions += step.Applied.Count + 1;
        State = step.State;
        switch (step.Next)
        {
            case Decision.Perform perform:
                var done = Performed(perform.Action);
                State = CaseDecider.Evolve(State, done);
                return (step, done);
            case Decision.Wait { Until: { } wake } when wake <= Now:
                throw new InvalidOperationException($"At {Now:O} the case waits until {wake:O}, which is not in the future: a host would spin. ({step.Next})");
            case Decision.Wait or Decision.Ended:
                return (step, null);
            default:
                throw new UnreachableException();
        }
    }

    /// <summary>Moves the clock to <paramref name="at"/>; never backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at > Now)
        {
            Now = at;
        }
    }

    private CaseEvent Performed(CaseAction action) => action switch
    {
        CaseAction.Contact contact => contact.Done(Now),
        CaseAction.FileEvidence file => file.Done(Now, evidenceLocation),
        _ => throw new UnreachableException(),
    };
}
