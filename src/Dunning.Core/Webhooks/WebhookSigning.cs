using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dunning.Webhooks;

/// <summary>The HMAC-SHA256 and timestamp rules both webhook flavours share.</summary>
internal static class WebhookSigning
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    // 9999-12-31T23:59:59Z: the last second DateTimeOffset can hold.
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>HMAC-SHA256 of <c>timestamp + "." + payload</c>, keyed with the UTF-8 bytes of the secret.</summary>
    public static byte[] Mac(string secret, string timestamp, string payload) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + payload));

    public static string MacHex(string secret, string timestamp, string payload) =>
        Convert.ToHexStringLower(Mac(secret, timestamp, payload));

    /// <summary>True when any candidate is the hex form (either case) of <paramref name="expected"/>; compared in constant time.</summary>
    public static bool AnyMatches(byte[] expected, IEnumerable<string> candidates)
    {
        var matched = false;
        Span<byte> actual = stackalloc byte[32];
        foreach (var candidate in candidates)
        {
            if (candidate.Length == expected.Length * 2
                && Convert.FromHexString(candidate, actual, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == expected.Length)
            {
                // No early exit: every candidate costs the same whether or not an earlier one matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, actual[..written]);
            }
        }

        return matched;
    }

    /// <summary>Unix seconds as plain ASCII digits, within what <see cref="DateTimeOffset"/> can hold.</summary>
    public static bool TryParseUnixSeconds(string? text, out DateTimeOffset at)
    {
        at = default;
        if (text is null || text.Length is 0 or > 12 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var seconds = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds > MaxUnixSeconds)
        {
            return false;
        }

        at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    public static bool TryUnixSeconds(long seconds, out DateTimeOffset at)
    {
        at = seconds is >= 0 and <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : default;
        return seconds is >= 0 and <= MaxUnixSeconds;
    }

    public static TimeSpan Tolerance(TimeSpan? tolerance)
    {
        var value = tolerance ?? DefaultTolerance;
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(tolerance));
        return value;
    }

    /// <summary>Null when <paramref name="signedAt"/> is within <paramref name="tolerance"/> of <paramref name="now"/> either way.</summary>
    public static string? TimestampProblem(DateTimeOffset signedAt, DateTimeOffset now, TimeSpan tolerance)
    {
        var age = now - signedAt;
        if (age > tolerance)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"the signed timestamp {signedAt:yyyy-MM-ddTHH:mm:ssZ} is {Describe(age)} old; at most {Describe(tolerance)} is accepted");
        }

        if (-age > tolerance)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"the signed timestamp {signedAt:yyyy-MM-ddTHH:mm:ssZ} is {Describe(-age)} in the future; at most {Describe(tolerance)} of clock skew is accepted");
        }

        return null;
    }

    public static string UnixSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalSeconds} seconds")
            : span.TotalHours < 48
                ? string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalMinutes} minutes")
                : string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalDays} days");
}
