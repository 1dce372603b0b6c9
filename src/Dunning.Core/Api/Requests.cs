using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Api;

/// <summary>POST /api/cases/{id}/plan: explicit installments, or count + firstDueDate + intervalDays.</summary>
public sealed record PlanBody(IReadOnlyList<PlanBody.Item>? Installments, int? Count, DateOnly? FirstDueDate, int? IntervalDays)
{
    public sealed record Item(DateOnly DueDate, decimal Amount);

    public PlanRequest ToRequest() => new(
        Installments?.Select(i => new PlanRequest.Item(i.DueDate, i.Amount)).ToValueList(),
        Count,
        FirstDueDate,
        IntervalDays);
}

/// <summary>POST /api/cases/{id}/promise.</summary>
public sealed record PromiseBody(DateOnly Date, decimal Amount);

/// <summary>POST /api/cases/{id}/dispute.</summary>
public sealed record DisputeBody(string? Reason);

/// <summary>POST /api/cases/{id}/dispute/resolve.</summary>
public sealed record ResolveBody(DisputeOutcome Outcome, decimal? CreditAmount, string? Note);

/// <summary>POST /api/cases/{id}/payments.</summary>
public sealed record PaymentBody(
    decimal Amount,
    string Currency,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(InstantJsonConverter))] DateTimeOffset? PaidAt,
    string? Reference);

/// <summary>POST /api/cases/{id}/cease: a channel to opt out of, or none to stop all contact.</summary>
public sealed record CeaseBody(Channel? Channel, string? Note);

/// <summary>POST /api/customers/{id}/cease: a channel to opt out of, or none to stop all contact, about every invoice.</summary>
public sealed record CustomerCeaseBody(Channel? Channel, string? Note);

/// <summary>The answer to a customer-level cease or opt-out: what now holds, whether it is new, and the open cases told.</summary>
public sealed record CustomerAnswer(string Customer, string Applied, bool Changed, IReadOnlyList<string> CasesTold);

/// <summary>POST /api/calltasks/{invoiceId}/{step}: how the call went; a promise needs its date and amount, a dispute its reason.</summary>
public sealed record CallLogBody(CallOutcome Outcome, string? Note, PromiseBody? Promise, string? Reason);

/// <summary>POST /api/cases/{id}/pause.</summary>
public sealed record PauseBody(
    string? Reason,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(InstantJsonConverter))] DateTimeOffset? Until);

/// <summary>What an import wrote (nothing, when it had errors).</summary>
public sealed record ImportAnswer(int Customers, int Invoices, int CasesTold);

/// <summary>
/// A moment in a request body read as the generic webhook reads <c>paidAt</c> (<see cref="Import.Fields.Instant"/>):
/// ISO 8601 with an offset or Z, or a date alone, so staff and providers write dates the same way.
/// </summary>
public sealed class InstantJsonConverter : System.Text.Json.Serialization.JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType != System.Text.Json.JsonTokenType.String)
        {
            throw new System.Text.Json.JsonException("must be a string: an ISO 8601 date and time with an offset, or a date YYYY-MM-DD");
        }

        // A well-formed moment outside the plausible range is read as written: the use case refuses it (422) naming the
        // date and why, which a "malformed JSON" answer would not.
        var text = reader.GetString()!;
        return Import.Fields.WellFormedInstant(text) ?? throw new System.Text.Json.JsonException(Import.Fields.InstantFormProblem(text));
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, DateTimeOffset value, System.Text.Json.JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
