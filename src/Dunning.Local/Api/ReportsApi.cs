using Dunning.Api;
using Dunning.Reports;

namespace Dunning.Local.Api;

/// <summary>
/// Reports: the aging of past-due accounts (JSON, or CSV for Accept: text/csv), what past cases teach (learning),
/// and the daily digest of what went out and what needs a person.
/// </summary>
public static class ReportsApi
{
    /// <summary>Marks a route that also answers 200 as text/csv, so the OpenAPI document lists both media types.</summary>
    public sealed class CsvToo;

    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/reports").WithTags("Reports");
        reports.MapGet("/aging", Aging)
            .WithSummary("Aging of all past-due accounts (current, 1-30, 31-60, 61-90, 90+) by customer; Accept: text/csv or ?format=csv for CSV")
            .Produces<AgingReport>()
            .WithMetadata(new CsvToo())
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

    private static async Task<IResult> Aging(string? asOf, string? format, HttpRequest request, LocalApp app, CancellationToken ct)
    {
        if (format is not null and not ("csv" or "json"))
        {
            return Http.Problem(400, "Unknown format", $"format: '{format}' is not csv or json.");
        }

        if (ApiQuery.AsOf(asOf, DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime), out var day) is { } bad)
        {
            return Http.Answer(bad);
        }

        var report = await app.Aging.AgingAsync(day, ct);
        var wantsCsv = format == "csv"
            || (format is null && request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase)));
        return wantsCsv ? TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8") : Http.Json(report);
    }

    private static async Task<IResult> Learning(string? within, LocalApp app, CancellationToken ct) =>
        ApiQuery.Within(within, out var days) is { } bad ? Http.Answer(bad) : Http.Json(await app.Reports.LearningAsync(days, ct));

    private static async Task<IResult> DailyDigest(string? since, LocalApp app, CancellationToken ct) =>
        ApiQuery.Since(since, out var from) is { } bad ? Http.Answer(bad) : Http.Json(await app.Reports.DigestAsync(from, ct));
}
