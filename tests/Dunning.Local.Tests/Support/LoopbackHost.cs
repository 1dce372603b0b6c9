using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dunning.Local.Api;
using Dunning.Local.Runner;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Dunning.Local.Tests.Support;

/// <summary>An HTTP answer as a client sees it: status, media type, raw text and (when it is JSON) the parsed body.</summary>
public sealed record Answer(HttpStatusCode Status, string? MediaType, string Text, JsonNode? Json)
{
    public int Code => (int)Status;

    public bool IsProblem => MediaType == "application/problem+json";

    public JsonNode Body => Json ?? throw new InvalidOperationException($"Not JSON ({MediaType}): {Text}");

    public override string ToString() => $"{Code} {MediaType} {Text}";
}

/// <summary>
/// The real local web host (<see cref="WebHost.Create"/>) on a real Kestrel bound to 127.0.0.1 on a port the OS picks,
/// over a fresh data folder on a simulated clock, with an admin key and webhook secrets from configuration.
/// Disposing stops Kestrel and deletes the folder.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-6c1f";
    public const string StripeSecret = "whsec_test_5f2a9d";
    public const string GenericSecret = "generic-secret-31b7";

    private readonly TempFolder folder;
    private readonly WebApplication web;

    private LoopbackHost(TempFolder folder, LocalApp app, SimulatedClock clock, WebApplication web, Uri address)
    {
        this.folder = folder;
        App = app;
        Clock = clock;
        this.web = web;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public LocalApp App { get; }

    public SimulatedClock Clock { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string DataFolder => folder.Path;

    public string Outbox => App.OutboxFolder;

    /// <param name="start">Where the simulated clock starts.</param>
    /// <param name="background">Run the runner in the background as <c>serve</c> does; by default tests take the runner's turns themselves.</param>
    /// <param name="secrets">Configure the webhook secrets (a host without them answers 503 on the webhook routes).</param>
    /// <param name="settings">More configuration, added to the defaults.</param>
    public static async Task<LoopbackHost> StartAsync(DateTimeOffset start, bool background = false, bool secrets = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = new TempFolder("dunning-http");
        try
        {
            var clock = new SimulatedClock(start);
            var app = LocalApp.Open(folder.Path, clock: clock);
            ClockDriver.Store(app.Database, start);
            var configuration = new Dictionary<string, string?>
            {
                ["Dunning:AdminKey"] = AdminKey,
                ["Dunning:Webhooks:StripeSecret"] = secrets ? StripeSecret : string.Empty,
                ["Dunning:Webhooks:GenericSecret"] = secrets ? GenericSecret : string.Empty,
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[name] = value;
            }

            var web = WebHost.Create(app, "http://127.0.0.1:0", configuration, background);
            await web.StartAsync();
            var address = new Uri(web.Urls.Single());
            Assert.Equal("127.0.0.1", address.Host);
            Assert.NotEqual(0, address.Port);
            return new LoopbackHost(folder, app, clock, web, address);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The runner's turn: everything due at the simulated now (what <c>serve</c>'s background runner does after a signal).</summary>
    public Task<RunStats> RunnerTurnAsync() => App.Runner.RunDueAsync(Clock.Now, CancellationToken.None);

    public Task<Answer> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, accept: accept);

    public Task<Answer> PostAsync(string path, string? body = null, bool admin = false, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Post, path, body, admin ? AdminKey : null, headers);

    public async Task<Answer> SendAsync(
        HttpMethod method, string path, string? body, string? adminKey = null, IEnumerable<KeyValuePair<string, string>>? headers = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (adminKey is not null)
        {
            request.Headers.Add(AdminApi.KeyHeader, adminKey);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        JsonNode? json = null;
        if (mediaType is not null && mediaType.EndsWith("json", StringComparison.Ordinal) && text.Length > 0)
        {
            json = JsonNode.Parse(text);
        }

        return new Answer(response.StatusCode, mediaType, text, json);
    }

    /// <summary>Imports <see cref="Sample.HarborBakery"/> and the given invoices through the API, then runs the daily scan.</summary>
    public async Task ImportAndScanAsync(params string[] invoicesJson)
    {
        var customers = await PostAsync("/api/customers", Sample.HarborBakeryJson, admin: true);
        Assert.True(customers.Code == 200, customers.ToString());
        var invoices = await PostAsync("/api/invoices", "[" + string.Join(",", invoicesJson) + "]", admin: true);
        Assert.True(invoices.Code == 200, invoices.ToString());
        var scan = await PostAsync("/api/scan", admin: true);
        Assert.True(scan.Code == 200, scan.ToString());
    }

    /// <summary>The case as GET /api/cases/{id} shows it.</summary>
    public async Task<JsonNode> CaseAsync(string invoiceId)
    {
        var answer = await GetAsync($"/api/cases/{invoiceId}");
        Assert.True(answer.Code == 200, answer.ToString());
        return answer.Body;
    }

    /// <summary>The principal still owed on a case (GET /api/cases/{id}).</summary>
    public async Task<decimal> PrincipalAsync(string invoiceId) => (await CaseAsync(invoiceId))["principal"]!["amount"]!.GetValue<decimal>();

    public string[] OutboxFiles() => [.. Directory.EnumerateFiles(Outbox, "*.eml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await web.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await web.DisposeAsync();
            folder.Dispose();
        }
    }
}
