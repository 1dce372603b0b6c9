using Dunning.Api;
using Dunning.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dunning.Local.Api;

/// <summary>The few things every route does: answer JSON in the house shape, read bodies, say what is wrong with input.</summary>
internal static class Http
{
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
        problem = ApiRequest.InvoiceId(text, out id) is { } bad ? Answer(bad) : null;
        return problem is null;
    }

    /// <summary>The raw body as sent (see <see cref="ApiRequest.ReadBodyAsync"/>).</summary>
    public static async Task<(string? Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, problem) = await ApiRequest.ReadBodyAsync(request.Body, request.ContentLength, ct);
        return (body, problem is null ? null : Answer(problem));
    }

    /// <summary>A JSON body read into a request record (see <see cref="ApiRequest.ReadJsonAsync{T}"/>).</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct, T? whenEmpty = null, params string[] required)
        where T : class
    {
        var (value, problem) = await ApiRequest.ReadJsonAsync(request.Body, request.ContentLength, whenEmpty, required, ct);
        return (value, problem is null ? null : Answer(problem));
    }
}
