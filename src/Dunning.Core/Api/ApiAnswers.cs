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

/// <summary>The one mapping from use-case results to HTTP, shared by the local host and the Azure host.</summary>
public static class ApiAnswers
{
    public static ApiAnswer Of(CommandResult result) => result switch
    {
        CommandResult.Accepted accepted => new(202, new { accepted = CaseStatus.Describe(accepted.Signal), signal = accepted.Signal }),
        CommandResult.Unchanged unchanged => new(200, new { unchanged = unchanged.Detail }),
        CommandResult.NotFound notFound => Problem(404, "No such case", notFound.Detail),
        CommandResult.Conflict conflict => Problem(409, "Not possible for this case now", conflict.Detail),
        CommandResult.Invalid invalid => Problem(422, "The request breaks a rule", string.Join(" ", invalid.Problems), invalid.Problems),
        _ => throw new UnreachableException(),
    };

    public static ApiAnswer Of(WebhookResult result) => result.Answer switch
    {
        WebhookAnswer.Applied => new(200, new { status = "applied", detail = result.Detail }),
        WebhookAnswer.Duplicate => new(200, new { status = "duplicate", detail = result.Detail }),
        WebhookAnswer.Ignored => new(200, new { status = "ignored", detail = result.Detail }),
        WebhookAnswer.ForReview => new(202, new { status = "for-review", detail = result.Detail }),
        WebhookAnswer.Unauthorized => Problem(401, "Webhook not verified", result.Detail),
        WebhookAnswer.Malformed => Problem(400, "Webhook not understood", result.Detail),
    };

    public static ApiAnswer NotFound(string detail) => Problem(404, "Not found", detail);

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
    public static ApiParse<T> Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, ApiAnswers.Problem(400, "Empty body", $"Send a JSON object for {typeof(T).Name}."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, DunningJson.Options);
            return value is null
                ? new(null, ApiAnswers.Problem(400, "Empty body", $"Send a JSON object for {typeof(T).Name}, not null."))
                : new(value, null);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "the body" : e.Path;
            return new(null, ApiAnswers.Problem(400, "Malformed JSON", $"{where}: {Plain(e.Message)}"));
        }
    }

    private static string Plain(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
