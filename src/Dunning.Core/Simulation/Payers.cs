using Dunning.Cases;
using Dunning.Customers;

namespace Dunning.Simulation;

/// <summary>
/// How simulated customers answer contacts. Probabilities are per contact; each contact draws at
/// most one reaction. "silent" never answers, which is what sends cases to the ending decision.
/// </summary>
public sealed record PaymentModel(
    string Name,
    double PayInFull,
    double PayPart,
    double AskForPlan,
    double KeepPlan,
    double Dispute,
    double DisputeUpheld,
    double Cease,
    int MaxDaysToAnswer)
{
    public static readonly PaymentModel Typical = new("typical", 0.30, 0.08, 0.06, 0.7, 0.03, 0.5, 0.01, 10);
    public static readonly PaymentModel Prompt = new("prompt", 0.70, 0.05, 0.05, 0.9, 0.01, 0.5, 0.0, 4);
    public static readonly PaymentModel Slow = new("slow", 0.12, 0.10, 0.08, 0.5, 0.04, 0.4, 0.02, 20);
    public static readonly PaymentModel Silent = new("silent", 0, 0, 0, 0, 0, 0, 0, 1);

    public static readonly IReadOnlyList<PaymentModel> All = [Typical, Prompt, Slow, Silent];

    public static PaymentModel? Named(string name) => All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The signals a customer sends after a contact, with the times they arrive.</summary>
    public IEnumerable<CaseEvent> React(CaseState state, CaseEvent.ContactMade contact, Random random)
    {
        var balance = state.PrincipalBalance;
        if (!balance.IsPositive || state.Plan is not null || state.Dispute is not null)
        {
            return [];
        }

        var at = contact.At + TimeSpan.FromDays(random.Next(1, MaxDaysToAnswer + 1)) + TimeSpan.FromHours(random.Next(0, 10));
        var roll = random.NextDouble();
        var reference = $"sim-{state.InvoiceId}-{state.History.Count}";
        if ((roll -= PayInFull) < 0)
        {
            return [new CaseEvent.PaymentReceived(at, balance, reference, "simulated")];
        }

        if ((roll -= PayPart) < 0)
        {
            return [new CaseEvent.PaymentReceived(at, balance.Times(0.4m).Round(), reference, "simulated")];
        }

        if ((roll -= AskForPlan) < 0)
        {
            return Plan(state, at, random, reference);
        }

        if ((roll -= Dispute) < 0)
        {
            var resolvedAt = at + TimeSpan.FromDays(random.Next(7, 21));
            var upheld = random.NextDouble() < DisputeUpheld;
            return
            [
                new CaseEvent.DisputeOpened(at, "the customer says part of the order arrived damaged"),
                upheld
                    ? new CaseEvent.DisputeResolved(resolvedAt, DisputeOutcome.Upheld, balance.Times(random.NextDouble() < 0.5 ? 1m : 0.25m).Round())
                    : new CaseEvent.DisputeResolved(resolvedAt, DisputeOutcome.Rejected),
            ];
        }

        if ((roll -= Cease) < 0)
        {
            return [new CaseEvent.CeaseRequested(at, random.NextDouble() < 0.5 ? Channel.Email : null)];
        }

        return [];
    }

    private List<CaseEvent> Plan(CaseState state, DateTimeOffset at, Random random, string reference)
    {
        var today = CaseClock.LocalDate(state, at);
        var count = Math.Min(3, state.Policy.Plans.MaxInstallments);
        var (plan, _) = PlanTerms.Build(state, new PlanRequest(Count: count, FirstDueDate: today.AddDays(7), IntervalDays: 30), today);
        if (plan is null)
        {
            return [];
        }

        var events = new List<CaseEvent> { new CaseEvent.PlanAgreed(at, plan) };
        var keep = random.NextDouble() < KeepPlan;
        foreach (var installment in plan.Installments)
        {
            if (!keep && installment.Number > 1)
            {
                break;
            }

            var paidAt = CaseClock.WindowStart(state, installment.DueDate) + TimeSpan.FromHours(2);
            events.Add(new CaseEvent.PaymentReceived(paidAt, installment.Amount, $"{reference}-i{installment.Number}", "simulated"));
        }

        return events;
    }
}
