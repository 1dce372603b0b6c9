using System.Text.Json.Serialization;
using System.Reflection;
using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Local.Api;

/// <summary>One case as the dashboard's table shows it: the status, plus due date, days overdue and what was recovered.</summary>
public sealed record DashboardCase(
    CaseStatus Case,
    DateOnly DueDate,
    int DaysOverdue,
    Money Amount,
    Money Recovered,
    [property: JsonIgnore] Money StillOwed,
    [property: JsonIgnore] bool Flagged);

/// <summary>One currency's money across all cases (currencies are never added together).</summary>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Cases">How many cases are in this currency.</param>
/// <param name="Owed">Still owed on cases being worked (open, plan, dispute, paused).</param>
/// <param name="Recovered">Paid since the cases opened, net of refunds.</param>
/// <param name="Flagged">Still owed on cases flagged for the business to decide (court, agency).</param>
public sealed record CurrencyTotals(string Currency, int Cases, Money Owed, Money Recovered, Money Flagged);

/// <summary>GET /api/dashboard: what the dashboard's first screen needs in one read.</summary>
/// <param name="Now">The host's clock.</param>
/// <param name="Totals">Money per currency over every case.</param>
/// <param name="Cases">The first page of cases (of the status asked for, if any), in invoice-id order.</param>
/// <param name="Total">How many cases there are.</param>
/// <param name="Statuses">How many cases have each status.</param>
/// <param name="Stages">How many cases are at each stage.</param>
/// <param name="Next">The cursor of the next page of cases (as GET /api/cases takes it), when there are more than shown.</param>
public sealed record DashboardSummary(
    DateTimeOffset Now,
    IReadOnlyList<CurrencyTotals> Totals,
    IReadOnlyList<DashboardCase> Cases,
    int Total,
    IReadOnlyDictionary<string, int> Statuses,
    IReadOnlyDictionary<string, int> Stages,
    string? Next);

/// <summary>GET /api/dashboard/cases/{invoiceId}/files: the letters and evidence bundle written for a case, under the data folder.</summary>
public sealed record CaseFiles(string DataFolder, IReadOnlyList<string> Letters, IReadOnlyList<string> Evidence);

/// <summary>The dashboard: one static page and a little script over the API, embedded in the executable.</summary>
public static class DashboardApi
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var content = Read(resource);
            routes.MapGet(path, () => TypedResults.Text(content, contentType)).ExcludeFromDescription();
        }

        var dashboard = routes.MapGroup("/api/dashboard").WithTags("Dashboard");
        dashboard.MapGet("/", Summary)
            .WithSummary($"Local host only, read-only: totals per currency (owed, recovered, flagged), cases by status and stage, and the first {PageSize} cases (?status= to filter) with due date and days overdue")
            .Produces<DashboardSummary>();
        dashboard.MapGet("/cases/{invoiceId}/files", CaseFilesOf)
            .WithSummary("Local host only, read-only: the letters and evidence files written for a case, relative to the data folder")
            .Produces<CaseFiles>()
            .ProducesProblem(400)
            .ProducesProblem(404);
        return routes;
    }

    /// <summary>Cases the first screen lists; the rest are a page away (GET /api/cases with the cursor in <see cref="DashboardSummary.Next"/>).</summary>
    public const int PageSize = 200;

    /// <summary>
    /// Totals and counts are sums and counts in SQL over the case views; only the cases on the page are read whole
    /// (for due date, days overdue and what was recovered), so the answer costs the same at 100 cases and at 100,000.
    /// </summary>
    private static async Task<IResult> Summary(string? status, string? cursor, LocalApp app, CancellationToken ct)
    {
        if (ApiQuery.Cases(status, null, null, null, cursor, out var query) is { } bad)
        {
            return Http.Answer(bad);
        }

        var now = app.Clock.GetUtcNow();
        var page = await app.Cases.PageAsync(query with { Limit = PageSize }, ct);
        var cases = app.Cases.Rows(page.Cases.Select(c => c.InvoiceId))
            .Select(r => new DashboardCase(
                r.Status,
                r.DueDate,
                Math.Max(0, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZones.Find(r.TimeZone)).DateTime).DayNumber - r.DueDate.DayNumber),
                r.Amount,
                r.Recovered,
                r.Status.Balance.Max(Money.Zero(r.Status.Balance.Currency)),
                r.Status.Status == "flagged"))
            .ToList();
        var figures = app.Cases.Figures();
        return Http.Json(new DashboardSummary(
            now, figures.Totals, cases, figures.Statuses.Values.Sum(), figures.Statuses, figures.Stages, page.Next is { } next ? CaseCursor.Encode(next) : null));
    }

    private static async Task<IResult> CaseFilesOf(string invoiceId, LocalApp app, CancellationToken ct)
    {
        if (!Http.TryInvoiceId(invoiceId, out var id, out var problem))
        {
            return problem!;
        }

        if (await app.Cases.GetAsync(id, ct) is null)
        {
            return Http.Problem(404, "Not found", $"There is no case for invoice '{id}'.");
        }

        return Http.Json(new CaseFiles(app.DataFolder, List(app.DataFolder, "letters", id), List(app.DataFolder, "evidence", id)));
    }

    /// <summary>The files under <c>kind/invoice/</c>, as paths relative to the data folder with '/' separators.</summary>
    private static List<string> List(string dataFolder, string kind, InvoiceId id)
    {
        var folder = Path.Combine(dataFolder, kind, id.Value);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder).Select(f => $"{kind}/{id.Value}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal)]
            : [];
    }

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Dunning.Local.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard file {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
