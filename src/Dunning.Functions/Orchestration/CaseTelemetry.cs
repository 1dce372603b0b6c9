using Dunning.Cases;

namespace Dunning.Functions.Orchestration;

/// <summary>One Application Insights custom event, as infra/workbook.json queries it.</summary>
public sealed record TelemetryEvent(string Name, IReadOnlyDictionary<string, string> Properties, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The custom events behind the Azure Monitor workbook (infra/README.md, "The workbook"): what changed between the
/// stored projection and the new one. Comparing with what is stored, rather than reporting each call, keeps a
/// retried activity or a ContinueAsNew from counting a step or a payment twice.
/// </summary>
public static class CaseTelemetry
{
    public static IEnumerable<TelemetryEvent> Between(CaseRecord? before, CaseRecord after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var state = after.State;
        var id = state.InvoiceId.Value;
        var balance = (double)state.Balance.Amount;
        if (before is null)
        {
            yield return new("DunningCaseStarted", Props(("invoiceId", id), ("customerId", state.Customer.Id.Value), ("currency", state.Currency)), Metrics(("balance", balance)));
        }

        foreach (var @event in state.History.Skip(before?.State.History.Count ?? 0))
        {
            switch (@event)
            {
                case CaseEvent.ContactMade contact:
                    yield return new("DunningStepPerformed", Props(("invoiceId", id), ("stepId", contact.StepId), ("channel", Names.Of(contact.Channel)), ("stage", after.Status.Stage)), Metrics());
                    break;
                case CaseEvent.PaymentReceived payment:
                    yield return new("DunningPaymentApplied", Props(("invoiceId", id), ("currency", payment.Amount.Currency)), Metrics(("amount", (double)payment.Amount.Amount), ("balance", balance)));
                    break;
                case CaseEvent.PaymentRefunded refund:
                    yield return new("DunningPaymentApplied", Props(("invoiceId", id), ("currency", refund.Amount.Currency)), Metrics(("amount", -(double)refund.Amount.Amount), ("balance", balance)));
                    break;
                case CaseEvent.CaseFlagged or CaseEvent.CaseClosed when state.Outcome is { } outcome:
                    yield return new("DunningCaseEnded", Props(("invoiceId", id), ("outcome", Names.Of(outcome.Kind)), ("currency", state.Currency)), Metrics(("balance", balance), ("recovered", (double)state.Recovered.Amount)));
                    break;
            }
        }
    }

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Dictionary<string, double> Metrics(params (string Key, double Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
