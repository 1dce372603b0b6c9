using Dunning.Api;

namespace Dunning.Local.Api;

/// <summary>The ledger: customers and invoices upserted by id, one object or an array, all or nothing.</summary>
public static class LedgerApi
{
    public static RouteGroupBuilder MapLedger(this IEndpointRouteBuilder routes)
    {
        var ledger = routes.MapGroup("/api").WithTags("Ledger");
        ledger.MapPost("/customers", (HttpRequest request, LocalApp app, CancellationToken ct) => ImportAsync(request, app, customers: true, ct))
            .RequireAdminKey()
            .WithSummary("Upsert one customer or an array (the columns of customers.csv, in camelCase); all or nothing")
            .Accepts<object>("application/json")
            .Produces<ImportAnswer>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(422);
        ledger.MapPost("/invoices", (HttpRequest request, LocalApp app, CancellationToken ct) => ImportAsync(request, app, customers: false, ct))
            .RequireAdminKey()
            .WithSummary("Upsert one invoice or an array (the columns of invoices.csv, in camelCase); a running case is told; all or nothing")
            .Accepts<object>("application/json")
            .Produces<ImportAnswer>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(422);
        return ledger;
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, LocalApp app, bool customers, CancellationToken ct)
    {
        var (body, tooLarge) = await Http.ReadBodyAsync(request, ct);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (parsed, malformed) = ApiJson.Parse(body!);
        if (parsed is not { } root)
        {
            return Http.Answer(malformed!);
        }

        var report = customers
            ? await app.Import.ImportJsonAsync(root, null, ct)
            : await app.Import.ImportJsonAsync(null, root, ct);
        return Http.Answer(ApiAnswers.Of(report));
    }
}
