using System.Globalization;
using Dunning.Api;
using Dunning.Local.Runner;
using Dunning.UseCases;
using Microsoft.Extensions.Options;

namespace Dunning.Local.Api;

/// <summary>What the daily scan did when run on demand, and the runner after it.</summary>
public sealed record ScanAnswer(DateTimeOffset At, ScanResult Scan, RunStats Run);

/// <summary>POST /api/clock/advance: a number of days, or a date to move to.</summary>
public sealed record AdvanceBody(int? Days, DateOnly? To);

/// <summary>Where the clock is, and whether it is simulated.</summary>
public sealed record ClockAnswer(DateTimeOffset Now, bool Simulated, AdvanceResult? Advanced = null);

/// <summary>The admin routes: the daily scan on demand and the simulated clock. They need the X-Admin-Key header.</summary>
public static class AdminApi
{
    public const string KeyHeader = ApiRequest.AdminKeyHeader;

    /// <summary>The admin key's security scheme in the OpenAPI document.</summary>
    public const string SecuritySchemeName = "adminKey";

    /// <summary>Marks a route that needs the admin key, so the OpenAPI document says so.</summary>
    public sealed class AdminKeyRequired;

    /// <summary>Requires <see cref="KeyHeader"/> to equal the configured admin key (compared in constant time).</summary>
    public static TBuilder RequireAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdminKeyRequired()).AddEndpointFilter(async (context, next) =>
        {
            var expected = context.HttpContext.RequestServices.GetRequiredService<IOptions<LocalSettings>>().Value.AdminKey;
            var given = context.HttpContext.Request.Headers[KeyHeader].ToString();
            return ApiRequest.IsAdminKey(given, expected)
                ? await next(context)
                : Http.Problem(401, "Admin key required", $"Send the admin key in the {KeyHeader} header (configured as Dunning:AdminKey).");
        });

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api").WithTags("Admin");

        admin.MapPost("/scan", Scan)
            .RequireAdminKey()
            .WithSummary("Run the daily scan now: start a case for every newly overdue invoice, then run what is due")
            .Produces<ScanAnswer>()
            .ProducesProblem(401);
        admin.MapGet("/clock", (LocalApp app) => Http.Json(new ClockAnswer(app.Clock.GetUtcNow(), app.Driver is not null)))
            .WithSummary("The host's current time, and whether it is simulated")
            .Produces<ClockAnswer>();
        admin.MapPost("/clock/advance", Advance)
            .RequireAdminKey()
            .WithSummary("Simulated clock only: move forward { days } or { to: YYYY-MM-DD }, running every scan and step due on the way")
            .Accepts<AdvanceBody>("application/json")
            .Produces<ClockAnswer>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404).ProducesProblem(422);
        return admin;
    }

    private static async Task<IResult> Scan(LocalApp app, CancellationToken ct)
    {
        var now = app.Clock.GetUtcNow();
        var scan = await app.Scan.RunAsync(now, ct);
        var run = await app.Runner.RunDueAsync(now, ct);
        return Http.Json(new ScanAnswer(now, scan, run));
    }

    private static async Task<IResult> Advance(HttpRequest request, LocalApp app, CancellationToken ct)
    {
        if (app.Driver is not { } driver)
        {
            return Http.Problem(404, "No simulated clock", "This host runs on real time; start it with --simulated-clock START to move time by hand.");
        }

        var (body, bad) = await Http.ReadJsonAsync<AdvanceBody>(request, ct);
        if (bad is not null)
        {
            return bad;
        }

        try
        {
            var result = await driver.AdvanceAsync(now => Target(body!, now), ct: ct);
            return Http.Json(new ClockAnswer(result.To, true, result));
        }
        catch (AdvanceRefused refused)
        {
            return Http.Problem(422, refused.Title, refused.Message);
        }
    }

    /// <summary>Where the clock goes, from where it stands when this advance's turn comes (advances run one at a time).</summary>
    private static DateTimeOffset Target(AdvanceBody body, DateTimeOffset now)
    {
        switch (body)
        {
            case { Days: { } days, To: null } when days is >= 0 and <= 3660:
                return now.AddDays(days);
            case { Days: null, To: { } date }:
                var to = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                if (to < now)
                {
                    throw new AdvanceRefused("The clock only moves forward", string.Create(CultureInfo.InvariantCulture, $"to: {date:yyyy-MM-dd} is before the clock ({now:yyyy-MM-dd HH:mm} UTC)."));
                }

                // The same bound as days: a far date would run millions of daily scans inside one request.
                return to <= now.AddDays(3660)
                    ? to
                    : throw new AdvanceRefused("Too far", string.Create(CultureInfo.InvariantCulture, $"to: {date:yyyy-MM-dd} is more than 3660 days after the clock ({now:yyyy-MM-dd HH:mm} UTC)."));
            default:
                throw new AdvanceRefused("Say how far", "Give either days (0 to 3660) or to (YYYY-MM-DD), not both.");
        }
    }

    private sealed class AdvanceRefused(string title, string detail) : Exception(detail)
    {
        public string Title { get; } = title;
    }

}
