using System.Globalization;
using Dunning.Reports;

namespace Dunning.Local.Api;

/// <summary>Reports: the aging of past-due accounts (JSON, or CSV for Accept: text/csv).</summary>
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
        return reports;
    }

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
}
