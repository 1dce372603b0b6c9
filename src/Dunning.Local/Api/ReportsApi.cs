using System.Globalization;
using Dunning.Cases;
using Dunning.Reports;

namespace Dunning.Local.Api;

/// <summary>
/// Reports: the aging of past-due accounts (JSON, or CSV for Accept: text/csv), what past cases teach (learning),
/// and the daily digest of what went out and what needs a person.
/// </summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/reports").WithTags("Reports");
        reports.MapGet("/aging", Aging)
            .WithSummary("Aging of all past-due accounts (current, 1-30, 31-60, 61-90, 90+) by customer; Accept: text/csv for CSV")
            .Produces<AgingReport>()
            .Produces<string>(200, "text/csv")
            .ProducesProblem(400);
        reports.MapGet("/learning", Learning)
            .WithSummary("Which ladder step converts (share of cases paid in full within 'within' days of it, default 14), days to pay by customer, recovery by outcome per currency")
            .Produces<LearningReport>()
            .ProducesProblem(400);
        reports.MapGet("/digest", DailyDigest)
            .WithSummary("What was sent since 'since' (a date or an ISO 8601 instant; default 24 hours ago), call tasks to make, open disputes, newly flagged cases")
            .Produces<Digest>()
            .ProducesProblem(400);
        return reports;
    }

    /// <summary>The learning report over every case, as of the data folder's clock.</summary>
    internal static LearningReport BuildLearning(LocalApp app, int withinDays) =>
        LearningReport.Build(app.Cases.AllStates(), withinDays, app.Clock.GetUtcNow());

    /// <summary>The digest since <paramref name="since"/>: every case's state with its stored status, and the call tasks.</summary>
    internal static async Task<Digest> BuildDigestAsync(LocalApp app, DateTimeOffset since, CancellationToken ct)
    {
        var statuses = (await app.Cases.ListAsync(null, ct)).ToDictionary(s => s.InvoiceId);
        var records = app.Cases.AllStates()
            .Where(s => statuses.ContainsKey(s.InvoiceId))
            .Select(s => new CaseRecord(s, statuses[s.InvoiceId]));
        return Digest.Build(records, await app.Cases.CallTasksAsync(ct), since);
    }

    /// <summary>The digest's default start: a day before now on the data folder's clock.</summary>
    internal static DateTimeOffset DefaultSince(LocalApp app) => app.Clock.GetUtcNow().AddHours(-24);

    private static async Task<IResult> Aging(string? asOf, HttpRequest request, LocalApp app, CancellationToken ct)
    {
        DateOnly day;
        if (asOf is null)
        {
            day = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        }
        else if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return Http.Problem(400, "Not a date", $"asOf: '{asOf}' is not a date (YYYY-MM-DD).");
        }

        var report = await app.Aging.AgingAsync(day, ct);
        var wantsCsv = request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        return wantsCsv ? TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8") : Http.Json(report);
    }

    private static IResult Learning(string? within, LocalApp app)
    {
        var days = LearningReport.DefaultWithinDays;
        if (within is not null
            && (!int.TryParse(within, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days is < 1 or > LearningReport.MaxWithinDays))
        {
            return Http.Problem(400, "Not a number of days", $"within: '{within}' is not a whole number of days from 1 to {LearningReport.MaxWithinDays}.");
        }

        return Http.Json(BuildLearning(app, days));
    }

    private static async Task<IResult> DailyDigest(string? since, LocalApp app, CancellationToken ct)
    {
        DateTimeOffset from;
        if (since is null)
        {
            from = DefaultSince(app);
        }
        else if (DateOnly.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }
        else if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
        {
            return Http.Problem(400, "Not a date or an instant", $"since: '{since}' is not a date (YYYY-MM-DD) or an ISO 8601 instant.");
        }

        return Http.Json(await BuildDigestAsync(app, from.ToUniversalTime(), ct));
    }
}
