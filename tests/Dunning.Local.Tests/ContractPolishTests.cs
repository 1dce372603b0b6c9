using Dunning.Local.Api;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>Issue 9, item 14: every error is problem+json, and the OpenAPI document says what the routes really need and give.</summary>
public class ContractPolishTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_address_longer_than_the_limit_gets_a_problem_not_a_bare_status()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var answer = await host.GetAsync("/api/cases/" + new string('a', WebHost.MaxAddressLength + 10));

        Assert.True(answer.Code == 414 && answer.IsProblem, answer.ToString());
    }

    [Fact]
    public async Task Headers_larger_than_the_limit_get_a_problem_not_a_bare_status()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var answer = await host.SendAsync(HttpMethod.Get, "/api/health", null, headers: [new("X-Padding", new string('p', WebHost.MaxHeadersLength + 10))]);

        Assert.True(answer.Code == 431 && answer.IsProblem, answer.ToString());
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_the_admin_key_and_both_media_types_of_the_aging_report()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var document = (await host.GetAsync("/openapi/v1.json")).Body;

        var scheme = document["components"]!["securitySchemes"]![AdminApi.SecuritySchemeName]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Admin-Key", scheme["name"]!.GetValue<string>());
        var scan = document["paths"]!["/api/scan"]!["post"]!;
        Assert.Contains(AdminApi.SecuritySchemeName, scan["security"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(document["paths"]!["/api/health"]!["get"]!["security"]);
        var aging = document["paths"]!["/api/reports/aging"]!["get"]!;
        var content = aging["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).ToList();
        Assert.Contains("application/json", content);
        Assert.Contains("text/csv", content);
        Assert.Contains(aging["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "format");
    }

    [Fact]
    public async Task The_aging_report_is_csv_by_query_as_well_as_by_accept()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        var byQuery = await host.GetAsync("/api/reports/aging?format=csv");
        var byAccept = await host.GetAsync("/api/reports/aging", accept: "text/csv");
        var unknown = await host.GetAsync("/api/reports/aging?format=xml");

        Assert.Equal("text/csv", byQuery.MediaType);
        Assert.Equal(byAccept.Text, byQuery.Text);
        Assert.True(unknown.Code == 400 && unknown.IsProblem, unknown.ToString());
    }
}
