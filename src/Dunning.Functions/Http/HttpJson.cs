using System.Text.Json;
using Dunning.Api;
using Dunning.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace Dunning.Functions.Http;

/// <summary>The plumbing every route shares: answers in the core's JSON shape, bodies read as sent, the admin key.</summary>
internal static class HttpJson
{
    public const string AdminKeyHeader = ApiRequest.AdminKeyHeader;

    /// <summary>The core's answer (a body or an RFC 9457 problem) as an HTTP result.</summary>
    public static IActionResult Answer(ApiAnswer answer) => new ContentResult
    {
        StatusCode = answer.Status,
        ContentType = answer.Body is ProblemBody ? ApiAnswer.ProblemContentType : "application/json; charset=utf-8",
        Content = answer.Body is null ? string.Empty : JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), DunningJson.Options),
    };

    public static IActionResult Json(object body, int status = StatusCodes.Status200OK) => Answer(new ApiAnswer(status, body));

    public static IActionResult Problem(int status, string title, string detail, IEnumerable<string>? errors = null) =>
        Answer(ApiAnswers.Problem(status, title, detail, errors));

    /// <summary>
    /// Null when the request carries the configured admin key (compared in constant time), else the 401. A key that is
    /// missing, empty, or still an unresolved Key Vault reference means "not configured": every admin request gets 401.
    /// </summary>
    public static IActionResult? RequireAdmin(HttpRequest request, IConfiguration configuration)
    {
        var expected = DunningSettings.Secret(configuration[$"{DunningSettings.Section}:AdminKey"]);
        var given = request.Headers[AdminKeyHeader].ToString();
        return ApiRequest.IsAdminKey(given, expected)
            ? null
            : Problem(401, "Admin key required", $"Send the admin key in the {AdminKeyHeader} header (app setting Dunning__AdminKey).");
    }

    /// <summary>An invoice id from the route, or the 400 that says why it cannot be one.</summary>
    public static bool TryInvoiceId(string text, out InvoiceId id, out IActionResult? problem)
    {
        problem = ApiRequest.InvoiceId(text, out id) is { } bad ? Answer(bad) : null;
        return problem is null;
    }

    /// <summary>The raw body as sent (see <see cref="ApiRequest.ReadBodyAsync"/>).</summary>
    public static async Task<(string? Body, IActionResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, problem) = await ApiRequest.ReadBodyAsync(request.Body, request.ContentLength, ct);
        return (body, problem is null ? null : Answer(problem));
    }

    /// <summary>A JSON body read into a request record (see <see cref="ApiRequest.ReadJsonAsync{T}"/>).</summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct, T? whenEmpty, params string[] required)
        where T : class
    {
        var (value, problem) = await ApiRequest.ReadJsonAsync(request.Body, request.ContentLength, whenEmpty, required, ct);
        return (value, problem is null ? null : Answer(problem));
    }
}
