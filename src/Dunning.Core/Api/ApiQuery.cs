using System.Globalization;
using Dunning.Reports;

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
