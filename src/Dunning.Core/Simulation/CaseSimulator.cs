using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Simulation;

/// <summary>One case to simulate: its opening state, signals scripted in advance, and how its customer answers.</summary>
public sealed record SimulatedCase(CaseState Initial, ValueList<CaseEvent> Script, PaymentModel Payer);

public sealed record SimulatedContact(InvoiceId InvoiceId, DateTimeOffset At, string StepId, Channel Channel, string Recipient, string Subject);

public sealed record SimulatedRun(CaseState Final, ValueList<SimulatedContact> Contacts, int Transitions);

/// <summary>
/// Drives the decider over many cases on a simulated clock: the engine of tests, of `dunning
/// simulate` (what-if for a policy over a ledger) and of the demo's projections. It performs no
/// effects; it only records what would have been done.
/// </summary>
public static class CaseSimulator
{
    public const int MaxTransitionsPerCase = 10_000;

    /// <summary>Drives each case in turn and keeps only the report's figures: <paramref name="cases"/> may be a stream of any length.</summary>
    public static SimulationReport Run(IEnumerable<SimulatedCase> cases, DateTimeOffset until, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var random = new Random(seed);
        var tally = new SimulationReport.Tally(until);
        foreach (var simulated in cases)
        {
            tally.Add(Drive(simulated, until, random));
        }

        return tally.Report();
    }

    public static SimulatedRun Drive(SimulatedCase simulated, DateTimeOffset until, Random random)
    {
        var state = simulated.Initial;
        var now = state.OpenedAt;
        var pending = new PriorityQueue<CaseEvent, DateTimeOffset>();
        foreach (var signal in simulated.Script)
        {
            pending.Enqueue(signal, signal.At);
        }

        var answers = new HashSet<CaseEvent>(ReferenceEqualityComparer.Instance);
        var contacts = new List<SimulatedContact>();
        for (var transitions = 0; transitions < MaxTransitionsPerCase; transitions++)
        {
            while (pending.TryPeek(out var signal, out var at) && at <= now)
            {
                pending.Dequeue();
                answers.Remove(signal);
                if (CaseRules.Check(state, signal) is CommandResult.Accepted)
                {
                    state = CaseDecider.Evolve(state, signal);
                }
            }

            switch (CaseDecider.Decide(state, now))
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    var made = contact.Done(now);
                    state = CaseDecider.Evolve(state, made);
                    contacts.Add(new SimulatedContact(state.InvoiceId, now, contact.StepId, contact.Channel, contact.Recipient.Address, contact.Message.Subject));
                    // A customer who has already answered (a payment on its way, a plan) does not answer again
                    // until that answer arrives: two reminders in a week must not make them pay twice.
                    if (answers.Count == 0)
                    {
                        foreach (var reaction in simulated.Payer.React(state, made, random))
                        {
                            pending.Enqueue(reaction, reaction.At);
                            answers.Add(reaction);
                        }
                    }

                    break;
                case Decision.Perform { Action: CaseAction.FileEvidence file }:
                    state = CaseDecider.Evolve(state, file.Done(now, $"simulated/{state.InvoiceId}"));
                    break;
                case Decision.Apply apply:
                    state = CaseDecider.Evolve(state, apply.Event);
                    break;
                case Decision.Wait wait:
                    var next = Earliest(wait.Until, pending.TryPeek(out _, out var signalAt) ? signalAt : null);
                    if (next is null || next > until)
                    {
                        return new SimulatedRun(state, contacts.ToValueList(), transitions);
                    }

                    now = next.Value > now ? next.Value : now;
                    break;
                case Decision.Ended:
                    if (!pending.TryPeek(out _, out var lateAt) || lateAt > until)
                    {
                        return new SimulatedRun(state, contacts.ToValueList(), transitions);
                    }

                    now = lateAt > now ? lateAt : now;
                    break;
                default:
                    throw new InvalidOperationException("Unknown decision.");
            }
        }

        throw new InvalidOperationException($"Case {state.InvoiceId} did not settle within {MaxTransitionsPerCase} transitions: a decider loop.");
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
