using System.Security.Cryptography;
using System.Text;
using Dunning.Common;

namespace Dunning.Api;

/// <summary>
/// What both hosts do with a request before a use case sees it: read the body as sent, read JSON into a request
/// record, check an invoice id and the admin key. Each host only turns the <see cref="ApiAnswer"/> into its own result type.
/// </summary>
public static class ApiRequest
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The header the admin key goes in, on both hosts.</summary>
    public const string AdminKeyHeader = "X-Admin-Key";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The raw body as sent, decoded as UTF-8 without changing a byte that verifies (webhook signatures need this).</summary>
    public static async Task<(string? Body, ApiAnswer? Problem)> ReadBodyAsync(Stream body, long? contentLength, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (contentLength > MaxBodyBytes)
        {
            return (null, TooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>
    /// A JSON body read into a request record with the core's rules (<see cref="ApiParse{T}"/>), or the 400 that names
    /// what is wrong. An empty body means <paramref name="whenEmpty"/> when the route has a default. Fields in
    /// <paramref name="required"/> must be present (a missing enum or date would otherwise read as its default).
    /// </summary>
    public static async Task<(T? Value, ApiAnswer? Problem)> ReadJsonAsync<T>(Stream body, long? contentLength, T? whenEmpty, string[] required, CancellationToken ct)
        where T : class
    {
        var (text, tooLarge) = await ReadBodyAsync(body, contentLength, ct);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (string.IsNullOrWhiteSpace(text) && whenEmpty is not null)
        {
            return (whenEmpty, null);
        }

        var parsed = ApiParse<T>.Read(text!, required);
        return (parsed.Value, parsed.Error);
    }

    /// <summary>An invoice id from a route, or the 400 that says why it cannot be one.</summary>
    public static ApiAnswer? InvoiceId(string text, out InvoiceId id) =>
        Common.InvoiceId.TryParse(text, out id) ? null : ApiAnswers.Problem(400, "Not an invoice id", Id.Problem(text, "invoiceId")!);

    public static ApiAnswer? CustomerId(string text, out CustomerId id) =>
        Common.CustomerId.TryParse(text, out id) ? null : ApiAnswers.Problem(400, "Not a customer id", Id.Problem(text, "customerId")!);

    /// <summary>Whether <paramref name="given"/> is the configured admin key; compared in constant time, and never when none is configured.</summary>
    public static bool IsAdminKey(string? given, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given ?? string.Empty)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static ApiAnswer TooLarge => ApiAnswers.Problem(413, "Body too large", $"Send at most {MaxBodyBytes / 1024 / 1024} MB.");
}
