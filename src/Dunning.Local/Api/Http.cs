using System.Text;
using Dunning.Api;
using Dunning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunning.Local.Api;

/// <summary>The few things every route does: answer JSON in the house shape, read bodies, say what is wrong with input.</summary>
internal static class Http
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static JsonHttpResult<T> Json<T>(T body, int status = StatusCodes.Status200OK) =>
        TypedResults.Json(body, DunningJson.Options, statusCode: status);

    /// <summary>The core's answer (a body or an RFC 9457 problem) as an HTTP result.</summary>
    public static IResult Answer(ApiAnswer answer) => answer.Body is ProblemBody problem
        ? TypedResults.Json(problem, DunningJson.Options, ApiAnswer.ProblemContentType, answer.Status)
        : TypedResults.Json(answer.Body, DunningJson.Options, statusCode: answer.Status);

    public static IResult Problem(int status, string title, string detail, IEnumerable<string>? errors = null) =>
        Answer(ApiAnswers.Problem(status, title, detail, errors));

    /// <summary>An invoice id from the route, or the 400 that says why it cannot be one.</summary>
    public static bool TryInvoiceId(string text, out InvoiceId id, out IResult? problem)
    {
        problem = InvoiceId.TryParse(text, out id) ? null : Problem(400, "Not an invoice id", Id.Problem(text, "invoiceId")!);
        return problem is null;
    }

    /// <summary>The raw body as sent, decoded as UTF-8 without changing a byte that verifies (webhook signatures need this).</summary>
    public static async Task<(string? Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Problem(413, "Body too large", $"Send at most {MaxBodyBytes / 1024 / 1024} MB."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Problem(413, "Body too large", $"Send at most {MaxBodyBytes / 1024 / 1024} MB."));
            }

            buffer.Write(chunk, 0, read);
        }

        return (Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>
    /// Reads a JSON body into a request record with the core's rules, or the 400 that names what is wrong. Fields
    /// named in <paramref name="required"/> must be present (a missing enum or date would otherwise read as its default).
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct, T? whenEmpty = null, params string[] required)
        where T : class
    {
        var (body, tooLarge) = await ReadBodyAsync(request, ct);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (string.IsNullOrWhiteSpace(body) && whenEmpty is not null)
        {
            return (whenEmpty, null);
        }

        var parsed = ApiParse<T>.Read(body!, required);
        return parsed.Error is { } error ? (null, Answer(error)) : (parsed.Value, null);
    }
}
