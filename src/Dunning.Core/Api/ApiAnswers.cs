using System.Diagnostics;
using System.Text.Json;
using Dunning.Cases;
using Dunning.Common;
using Dunning.UseCases;

namespace Dunning.Api;

/// <summary>An RFC 9457 problem, as both hosts send it with content type application/problem+json.</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, ValueList<string>? Errors = null);

/// <summary>An HTTP status and a JSON body: what every route answers, the same in both hosts.</summary>
public sealed record ApiAnswer(int Status, object? Body)
{
    public bool IsProblem => Body is ProblemBody;

    public const string ProblemContentType = "application/problem+json";
}

/// <summary>The 202 answer on both hosts: what was accepted, the signal, the case's status after it, what became of the signal, and where to see it.</summary>
/// <param name="Accepted">The signal, in words.</param>
/// <param name="Signal">The signal as sent to the case.</param>
/// <param name="Case">The case's status after its turn (the local host takes the case's turn before answering; the Azure host does not wait for it).</param>
/// <param name="Outcome">"applied" or "unchanged" once the case took it, "pending" or "queued" while it waits for the case's turn.</param>
/// <param name="Location">The case, whose timeline shows the signal, or its refusal and why.</param>
public sealed record AcceptedAnswer(string Accepted, CaseEvent Signal, CaseStatus? Case, string Outcome, string Location);

/// <summary>The one mapping from use-case results to HTTP, shared by the local host and the Azure host.</summary>
public static class ApiAnswers
{
    /// <summary>
    /// A 202 says the signal is queued for the case, not that it is applied: the case applies it in turn and may still
    /// refuse it (the case changed meanwhile). <see cref="AcceptedAnswer.Location"/> is where to see what became of it:
    /// the case, whose timeline shows a refusal and why.
    /// </summary>
    public static ApiAnswer Of(CommandResult result, InvoiceId id) => result switch
    {
        CommandResult.Accepted accepted => new(202, new AcceptedAnswer(CaseStatus.Describe(accepted.Signal), accepted.Signal, null, "queued", CaseRoute(id))),
        CommandResult.Unchanged unchanged => new(200, new { unchanged = unchanged.Detail }),
        CommandResult.NotFound notFound => Problem(404, "No such case", notFound.Detail),
        CommandResult.Conflict conflict => Problem(409, "Not possible for this case now", conflict.Detail),
        CommandResult.Invalid invalid => Problem(422, "The request breaks a rule", string.Join(" ", invalid.Problems), invalid.Problems),
        _ => throw new UnreachableException(),
    };

    /// <summary>202 when the request is new for the customer, 200 when it already held; 404 for an unknown customer.</summary>
    public static ApiAnswer Of(CustomerRequestResult? result, CustomerId customer) => result is null
        ? Problem(404, "No such customer", $"There is no customer '{customer}'. Import it first (POST /api/customers).")
        : new(result.Changed ? 202 : 200, new CustomerAnswer(result.Customer.Value, result.Applied, result.Changed, [.. result.CasesTold.Select(c => c.Value)]));

    public static ApiAnswer Of(WebhookResult result) => result.Answer switch
    {
        WebhookAnswer.Applied => new(200, new { status = "applied", detail = result.Detail }),
        WebhookAnswer.Duplicate => new(200, new { status = "duplicate", detail = result.Detail }),
        WebhookAnswer.Ignored => new(200, new { status = "ignored", detail = result.Detail }),
        WebhookAnswer.ForReview => new(202, new { status = "for-review", detail = result.Detail }),
        WebhookAnswer.Unauthorized => Problem(401, "Webhook not verified", result.Detail),
        WebhookAnswer.Malformed => Problem(400, "Webhook not understood", result.Detail),
    };

    /// <summary>200 with what an import wrote, or 422 listing its problems (the first thousand, and how many) when nothing was written.</summary>
    public static ApiAnswer Of(ImportReport report)
    {
        if (report.Errors.Count == 0)
        {
            return new(200, new ImportAnswer(report.Customers, report.Invoices, report.CasesTold));
        }

        var errors = report.Errors.Select(e => e.ToString()).ToList();
        var count = Math.Max(report.ErrorCount, errors.Count);
        var listed = count > errors.Count ? $" (the first {errors.Count} in errors)" : string.Empty;
        return Problem(422, "Nothing was imported", $"{count} problem(s){listed}: {string.Join(" ", errors.Take(3))}{(errors.Count > 3 ? " …" : string.Empty)}", errors);
    }

    public static ApiAnswer NotFound(string detail) => Problem(404, "Not found", detail);

    /// <summary>Where a case is read, with its timeline (and any signal it refused): the same path on both hosts.</summary>
    public static string CaseRoute(InvoiceId id) => "/api/cases/" + Uri.EscapeDataString(id.Value);

    public static ApiAnswer Problem(int status, string title, string detail, IEnumerable<string>? errors = null) =>
        new(status, new ProblemBody(
            $"https://github.com/dunning-functions/dunning/blob/main/docs/errors.md#{status}",
            title,
            status,
            detail,
            errors?.ToValueList()));
}

/// <summary>
/// A request body read into a command, or the 400 answer that says what is wrong with it. Bodies are
/// read with the same JSON rules as everything else (camelCase, kebab-case enums).
/// </summary>
public sealed record ApiParse<T>(T? Value, ApiAnswer? Error)
    where T : class
{
    /// <param name="body">The request body.</param>
    /// <param name="required">Top-level fields that must be present: a missing enum or date would otherwise read as its default.</param>
    public static ApiParse<T> Read(string body, params string[] required)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, ApiAnswers.Problem(400, "Empty body", "Send a JSON object."));
        }

        var (root, malformed) = ApiJson.Parse(body);
        if (malformed is not null)
        {
            return new(null, malformed);
        }

        // Every problem at once: missing fields, fields this request does not have, text too long or with control characters.
        var problems = RequestShape.Problems<T>(root!.Value);
        problems.InsertRange(0, ApiJson.Missing(body, required).Select(m => $"{m}: is required."));
        if (problems.Count > 0)
        {
            return new(null, ApiAnswers.Problem(400, "Invalid request", string.Join(" ", problems), problems));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, DunningJson.Options);
            return value is null
                ? new(null, ApiAnswers.Problem(400, "Empty body", "Send a JSON object, not null."))
                : new(value, null);
        }
        catch (JsonException e)
        {
            return new(null, ApiAnswers.Problem(400, "Malformed JSON", RequestShape.Plain<T>(e.Message, e.Path ?? string.Empty)));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            // A value the model's constructors refuse (an invalid id or currency, an amount out of range).
            return new(null, ApiAnswers.Problem(400, "Malformed JSON", RequestShape.Plain<T>(e.Message, string.Empty)));
        }
    }
}

/// <summary>JSON request bodies that are read as documents (imports), and what both hosts say when they are not JSON.</summary>
public static class ApiJson
{
    /// <summary>The body as a JSON document, or the 400 answer naming where it stops being JSON.</summary>
    public static (JsonElement? Root, ApiAnswer? Error) Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (null, ApiAnswers.Problem(400, "Malformed JSON", $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {Plain(e.Message)}"));
        }
    }

    /// <summary>Which required top-level fields an object body lacks (nothing when it is not an object: the parser says so).</summary>
    public static List<string> Missing(string body, IEnumerable<string> required)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            var present = document.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return [.. required.Where(r => !present.Contains(r))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>System.Text.Json's message without its " Path: ..." tail, which the answer states in its own words.</summary>
    public static string Plain(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
