using Dunning.Api;

namespace Dunning.Local.Api;

/// <summary>Requests a customer makes about all of their invoices: "stop contacting me", or not on one channel.</summary>
public static class CustomersApi
{
    public static RouteGroupBuilder MapCustomers(this IEndpointRouteBuilder routes)
    {
        var customers = routes.MapGroup("/api/customers").WithTags("Customers");
        customers.MapPost("/{customerId}/cease", CeaseAsync)
            .WithSummary("Stop contacting the customer about every invoice, now and later: on one channel { channel } (an opt-out) or (empty body) on all")
            .Accepts<CustomerCeaseBody>("application/json")
            .Produces<CustomerAnswer>(202)
            .Produces<CustomerAnswer>(200)
            .ProducesProblem(400)
            .ProducesProblem(404);
        return customers;
    }

    private static async Task<IResult> CeaseAsync(string customerId, HttpRequest request, LocalApp app, CancellationToken ct)
    {
        if (ApiRequest.CustomerId(customerId, out var id) is { } bad)
        {
            return Http.Answer(bad);
        }

        var (body, problem) = await Http.ReadJsonAsync(request, ct, new CustomerCeaseBody(null, null));
        if (problem is not null)
        {
            return problem;
        }

        var result = await app.Customers.RequestAsync(id, body!.Channel, body.Note, ct);
        if (result is not null)
        {
            // The told cases apply it before the answer, as a case command does.
            foreach (var told in result.CasesTold)
            {
                await app.Runner.RunCaseAsync(told, app.Clock.GetUtcNow(), ct);
            }
        }

        return Http.Answer(ApiAnswers.Of(result, id));
    }
}
