using System.Security.Cryptography;
using System.Text;
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
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The header the admin key goes in (the same as the local host's).</summary>
    public const string AdminKeyHeader = "X-Admin-Key";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

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
        return expected is not null && FixedTimeEquals(given, expected)
            ? null
            : Problem(401, "Admin key required", $"Send the admin key in the {AdminKeyHeader} header (app setting Dunning__AdminKey).");
    }

    /// <summary>An invoice id from the route, or the 400 that says why it cannot be one.</summary>
    public static bool TryInvoiceId(string text, out InvoiceId id, out IActionResult? problem)
    {
        problem = InvoiceId.TryParse(text, out id) ? null : Problem(400, "Not an invoice id", Id.Problem(text, "invoiceId")!);
        return problem is null;
    }

    /// <summary>The raw body as sent, decoded as UTF-8 without changing a byte that verifies (webhook signatures need this).</summary>
    public static async Task<(string? Body, IActionResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        return (Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>
    /// A JSON body read into a request record with the core's rules (<see cref="ApiParse{T}"/>), or the 400 that names
    /// what is wrong. Fields in <paramref name="required"/> must be present (a missing enum or date would read as its default).
    /// </summary>
    public static async Task<(T? Value, IActionResult? Problem)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct, T? whenEmpty, params string[] required)
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

    private static IActionResult TooLarge() => Problem(413, "Body too large", $"Send at most {MaxBodyBytes / 1024 / 1024} MB.");

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
