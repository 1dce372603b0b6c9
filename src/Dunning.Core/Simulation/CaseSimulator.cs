using System.Runtime.ExceptionServices;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;

namespace Dunning.Simulation;

/// <summary>One case to simulate: its opening state, signals scripted in advance, and how its customer answers.</summary>
public sealed record SimulatedCase(CaseState Initial, ValueList<CaseEvent> Script, PaymentModel Payer);

public sealed record SimulatedContact(InvoiceId InvoiceId, DateTimeOffset At, string StepId, Channel Channel, string Recipient, string Subject);

public sealed record SimulatedRun(CaseState Final, ValueList<SimulatedContact> Contacts, int Transitions);

/// <summary>
/// Drives the decider over many cases on a simulated clock: the engine of tests, of `dunning
/// simulate` (what-if for a policy over a ledger) and of the demo's projections. Each case runs on
/// <see cref="CaseRun"/> (the core's step, effects as data), with scripted signals and a payer model
/// that answers contacts; it only records what would have been done.
/// </summary>
public static class CaseSimulator
{
    public const int MaxTransitionsPerCase = 10_000;

    /// <summary>Cases read from the stream and driven together: bounds what is held, whatever the ledger's size.</summary>
    internal const int ChunkSize = 512;

    /// <summary>
    /// Drives every case and keeps only the report's figures: <paramref name="cases"/> may be a stream of any length,
    /// read once, in order, on the calling thread. Each case answers on its own <see cref="Random"/> seeded from
    /// <paramref name="seed"/> and its invoice id (<see cref="CaseSeed"/>), so cases are driven side by side on
    /// <paramref name="parallelism"/> threads (default: one per processor) and tallied in input order: the report is
    /// the same for a seed and ledger whatever the parallelism. The report counts messages by channel and reads no word of
    /// them, so none is written (<see cref="MessageTemplates.WritingNothing"/>): the decider's rules never read a message.
    /// </summary>
    public static SimulationReport Run(IEnumerable<SimulatedCase> cases, DateTimeOffset until, int seed = 1, int? parallelism = null) =>
        Run(cases, until, seed, parallelism ?? Environment.ProcessorCount, ChunkSize);

    internal static SimulationReport Run(IEnumerable<SimulatedCase> cases, DateTimeOffset until, int seed, int parallelism, int chunkSize)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var threads = parallelism;
        var tally = new SimulationReport.Tally(until);
        // While one chunk is driven, the next is read: at most two chunks' runs and one chunk's cases are held.
        Task<SimulatedRun[]>? driving = null;
        foreach (var chunk in cases.Chunk(chunkSize))
        {
            var next = Task.Run(() => DriveAll(chunk, until, seed, threads));
            Tally(tally, driving);
            driving = next;
        }

        Tally(tally, driving);
        return tally.Report();
    }

    /// <summary>
    /// The seed of one case's <see cref="Random"/>: the run's seed and the invoice id, hashed the same way in every
    /// process (FNV-1a over the id's UTF-16 code units; <see cref="string.GetHashCode()"/> differs per process).
    /// </summary>
    public static int CaseSeed(int seed, InvoiceId invoiceId)
    {
        var hash = 2_166_136_261u ^ unchecked((uint)seed);
        foreach (var c in invoiceId.Value)
        {
            hash = unchecked((hash ^ c) * 16_777_619u);
        }

        return unchecked((int)hash);
    }

    private static SimulatedRun[] DriveAll(SimulatedCase[] chunk, DateTimeOffset until, int seed, int threads)
    {
        var runs = new SimulatedRun[chunk.Length];
        var failures = new Exception?[chunk.Length];
        Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            try
            {
                runs[i] = Drive(chunk[i], until, new Random(CaseSeed(seed, chunk[i].Initial.InvoiceId)), MessageTemplates.WritingNothing);
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        });

        // A case that fails (a decider loop) fails the run with its own exception, the first in input order, as
        // driving the cases one after another would.
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return runs;
    }

    private static void Tally(SimulationReport.Tally tally, Task<SimulatedRun[]>? driving)
    {
        foreach (var run in driving?.GetAwaiter().GetResult() ?? [])
        {
            tally.Add(run);
        }
    }

    /// <summary>
    /// Drives one case until <paramref name="until"/>. Messages are written from <paramref name="templates"/>: by
    /// default <see cref="MessageTemplates.ShippedSubjectsOnly"/>, since a simulated contact keeps only its subject
    /// (as the case's <see cref="CaseEvent.ContactMade"/> does); full messages give the same run, only slower.
    /// </summary>
    public static SimulatedRun Drive(SimulatedCase simulated, DateTimeOffset until, Random random, MessageTemplates? templates = null)
    {
        ArgumentNullException.ThrowIfNull(simulated);
        var run = new CaseRun(simulated.Initial, simulated.Initial.OpenedAt, $"simulated/{simulated.Initial.InvoiceId}", templates ?? MessageTemplates.ShippedSubjectsOnly);
        var pending = new PriorityQueue<CaseEvent, DateTimeOffset>();
        foreach (var signal in simulated.Script)
        {
            pending.Enqueue(signal, signal.At);
        }

        var answers = new HashSet<CaseEvent>(ReferenceEqualityComparer.Instance);
        var contacts = new List<SimulatedContact>();
        while (run.Decisions < MaxTransitionsPerCase)
        {
            while (pending.TryPeek(out var signal, out var at) && at <= run.Now)
            {
                pending.Dequeue();
                answers.Remove(signal);
                run.Receive(signal);
            }

            var (step, done) = run.Step();
            switch (step.Next)
            {
                case Decision.Perform { Action: CaseAction.Contact contact }:
                    contacts.Add(new SimulatedContact(run.State.InvoiceId, run.Now, contact.StepId, contact.Channel, contact.Recipient.Address, contact.Message.Subject));
                    // A customer who has already answered (a payment on its way, a plan) does not answer again
                    // until that answer arrives: two reminders in a week must not make them pay twice.
                    if (answers.Count == 0)
                    {
                        foreach (var reaction in simulated.Payer.React(run.State, (CaseEvent.ContactMade)done!, random))
                        {
                            pending.Enqueue(reaction, reaction.At);
                            answers.Add(reaction);
                        }
                    }

                    break;
                case Decision.Perform:
                    break;
                case Decision.Wait wait:
                    var next = Earliest(wait.Until, pending.TryPeek(out _, out var signalAt) ? signalAt : null);
                    if (next is null || next > until)
                    {
                        return Finished(run, contacts);
                    }

                    run.AdvanceTo(next.Value);
                    break;
                case Decision.Ended:
                    if (!pending.TryPeek(out _, out var lateAt) || lateAt > until)
                    {
                        return Finished(run, contacts);
                    }

                    run.AdvanceTo(lateAt);
                    break;
                default:
                    throw new InvalidOperationException("Unknown decision.");
            }
        }

        throw new InvalidOperationException($"Case {run.State.InvoiceId} did not settle within {MaxTransitionsPerCase} transitions: a decider loop.");
    }

    /// <summary>The run as it stands; its transitions are the decisions made before the one it stopped at.</summary>
    private static SimulatedRun Finished(CaseRun run, List<SimulatedContact> contacts) =>
        new(run.State, contacts.ToValueList(), run.Decisions - 1);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
