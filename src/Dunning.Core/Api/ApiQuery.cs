using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Import;
using Dunning.Ports;
using Dunning.Reports;
using Dunning.UseCases;

namespace Dunning.Api;

/// <summary>The query parameters both hosts' report routes take, read the same way, with the same 400s.</summary>
public static class ApiQuery
{
    /// <summary>A day (YYYY-MM-DD, meaning 00:00 UTC) or an ISO 8601 instant (UTC unless it says otherwise).</summary>
    public static bool TryDayOrInstant(string text, out DateTimeOffset at)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            at = at.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>
    /// GET /api/cases: `status`, `customer`, `currency` (filters), `limit` (1 to <see cref="CaseQuery.MaxLimit"/>, default
    /// <see cref="CaseQuery.DefaultLimit"/>) and `cursor` (from the previous page's next link). Every problem is listed.
    /// </summary>
    public static ApiAnswer? Cases(string? status, string? customer, string? currency, string? limit, string? cursor, out CaseQuery query)
    {
        query = new CaseQuery();
        var problems = new List<string>();
        if (status is not null && !CaseStatus.Statuses.Contains(status))
        {
            problems.Add($"status: '{Fields.Shorten(status)}' is not one of {string.Join(", ", CaseStatus.Statuses)}.");
        }

        CustomerId? customerId = null;
        if (customer is not null)
        {
            if (Id.Problem(customer, "customer") is { } problem)
            {
                problems.Add(problem + ".");
            }
            else
            {
                customerId = new CustomerId(customer);
            }
        }

        if (currency is not null && !Currencies.IsValid(currency))
        {
            problems.Add($"currency: '{Fields.Shorten(currency)}' is not an ISO 4217 code.");
        }

        var size = CaseQuery.DefaultLimit;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= CaseQuery.MaxLimit))
        {
            problems.Add($"limit: '{Fields.Shorten(limit)}' is not a whole number from 1 to {CaseQuery.MaxLimit}.");
        }

        string? after = null;
        if (cursor is not null && !CaseCursor.TryDecode(cursor, out after))
        {
            problems.Add("cursor: not a cursor this API gave out; start again without one.");
        }

        if (problems.Count > 0)
        {
            return ApiAnswers.Problem(400, "Bad query", string.Join(" ", problems), problems);
        }

        query = new CaseQuery(status, customerId, currency is null ? null : Currencies.Normalize(currency), after, size);
        return null;
    }

    /// <summary>GET /api/calltasks `show`: to-make (the default), logged, or all.</summary>
    public static ApiAnswer? CallTasks(string? show, out CallTaskFilter filter)
    {
        filter = CallTaskFilter.ToMake;
        if (show is null)
        {
            return null;
        }

        return CallTaskList.TryParse(show, out filter)
            ? null
            : ApiAnswers.Problem(400, "Bad query", $"show: '{Fields.Shorten(show)}' is not one of to-make, logged, all.");
    }

    /// <summary>`asOf`: a day, or <paramref name="today"/> when absent.</summary>
    public static ApiAnswer? AsOf(string? text, DateOnly today, out DateOnly day)
    {
        day = today;
        return text is null || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            ? null
            : ApiAnswers.Problem(400, "Not a date", $"asOf: '{text}' is not a date (YYYY-MM-DD).");
    }

    /// <summary>`within`: whole days from 1 to <see cref="LearningReport.MaxWithinDays"/>, or the report's default.</summary>
    public static ApiAnswer? Within(string? text, out int days)
    {
        days = LearningReport.DefaultWithinDays;
        return text is null || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && days is >= 1 and <= LearningReport.MaxWithinDays)
            ? null
            : ApiAnswers.Problem(400, "Not a number of days", $"within: '{text}' is not a whole number of days from 1 to {LearningReport.MaxWithinDays}.");
    }

    /// <summary>`since`: a day or an instant; null when absent (the digest's own default applies).</summary>
    public static ApiAnswer? Since(string? text, out DateTimeOffset? since)
    {
        since = null;
        if (text is null)
        {
            return null;
        }

        if (TryDayOrInstant(text, out var at))
        {
            since = at;
            return null;
        }

        return ApiAnswers.Problem(400, "Not a date or an instant", $"since: '{text}' is not a date (YYYY-MM-DD) or an ISO 8601 instant.");
    }
}

/// <summary>
/// The `cursor` of GET /api/cases: a store's position (SQLite: the last invoice id; Azure Tables: its continuation
/// token), made opaque and URL-safe so clients pass it back as given rather than build one.
/// </summary>
public static class CaseCursor
{
    private const int MaxLength = 4096;

    public static string Encode(string position) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("c1:" + position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, out string? position)
    {
        position = null;
        if (cursor.Length is 0 or > MaxLength || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        var text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: false).GetString(bytes, 0, written);
        if (!text.StartsWith("c1:", StringComparison.Ordinal) || text.Length == 3)
        {
            return false;
        }

        position = text[3..];
        return true;
    }

    /// <summary>The link to the next page: the same filters and limit, and the cursor after this page.</summary>
    public static string NextLink(string path, CaseQuery query, string next)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.Status is { } status)
        {
            parts.Add("status=" + Uri.EscapeDataString(status));
        }

        if (query.Customer is { } customer)
        {
            parts.Add("customer=" + Uri.EscapeDataString(customer.Value));
        }

        if (query.Currency is { } currency)
        {
            parts.Add("currency=" + Uri.EscapeDataString(currency));
        }

        parts.Add("limit=" + query.Limit.ToString(CultureInfo.InvariantCulture));
        parts.Add("cursor=" + Encode(next));
        return $"<{path}?{string.Join('&', parts)}>; rel=\"next\"";
    }
}
