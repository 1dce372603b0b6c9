using Dunning.Local.Api;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>Issue 9, item 7: a host that cannot be driven from another site, nor read from another machine without the key.</summary>
public class SiteGuardTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Due = new(2026, 3, 2);

    private static async Task<LoopbackHost> PausedCaseAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await LoopbackHost.StartAsync(Start, settings: settings);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        var pause = await host.SendAsync(HttpMethod.Post, "/api/cases/INV-1/pause", """{"reason":"customer on holiday"}""", LoopbackHost.AdminKey);
        Assert.True(pause.Code == 202, pause.ToString());
        return host;
    }

    private static async Task<string> StatusAsync(LoopbackHost host) =>
        (await host.SendAsync(HttpMethod.Get, "/api/cases/INV-1", null, LoopbackHost.AdminKey)).Body["status"]!["status"]!.GetValue<string>();

    [Fact]
    public async Task A_DNS_rebinding_page_whose_Origin_matches_its_own_Host_is_refused()
    {
        await using var host = await PausedCaseAsync();
        var rebound = $"evil.example:{host.Address.Port}";

        var change = await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Host", rebound), new("Origin", "http://" + rebound)]);
        var read = await host.SendAsync(HttpMethod.Get, "/api/cases/INV-1", null, headers: [new("Host", rebound)]);

        Assert.True(change.Code == 421 && change.IsProblem, change.ToString());
        Assert.True(read.Code == 421 && read.IsProblem, read.ToString());
        Assert.Contains("Dunning__AllowedHosts", read.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("paused", await StatusAsync(host));
    }

    [Fact]
    public async Task A_name_the_business_allows_is_answered()
    {
        await using var host = await PausedCaseAsync(new Dictionary<string, string?> { ["Dunning:AllowedHosts"] = "127.0.0.1;dunning.example" });

        var read = await host.SendAsync(HttpMethod.Get, "/api/cases/INV-1", null, headers: [new("Host", $"dunning.example:{host.Address.Port}")]);
        var other = await host.SendAsync(HttpMethod.Get, "/api/cases/INV-1", null, headers: [new("Host", $"localhost:{host.Address.Port}")]);

        Assert.True(read.Code == 200, read.ToString());
        Assert.Equal(421, other.Code);
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task A_browser_that_says_the_request_is_from_another_site_is_refused_even_without_Origin(string site)
    {
        await using var host = await PausedCaseAsync();

        var answer = await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Sec-Fetch-Site", site)]);

        Assert.True(answer.Code == 403 && answer.IsProblem, answer.ToString());
        Assert.Equal("paused", await StatusAsync(host));
    }

    [Fact]
    public async Task The_dashboard_itself_may_act()
    {
        await using var host = await PausedCaseAsync();

        var answer = await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Sec-Fetch-Site", "same-origin"), new("Origin", host.Address.GetLeftPart(UriPartial.Authority))]);

        Assert.True(answer.Code == 202, answer.ToString());
    }

    [Fact]
    public async Task The_dashboard_cannot_be_framed_and_runs_only_its_own_script()
    {
        await using var host = await LoopbackHost.StartAsync(Start);

        using var response = await host.Client.GetAsync("/");

        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_key_is_required_customer_data_and_staff_actions_need_it_but_liveness_and_signed_webhooks_do_not()
    {
        await using var host = await PausedCaseAsync(new Dictionary<string, string?> { ["Dunning:RequireAdminKey"] = "true" });

        foreach (var path in new[] { "/api/cases", "/api/cases/INV-1", "/api/dashboard", "/api/reports/aging", "/api/webhooks/review" })
        {
            var read = await host.GetAsync(path);
            Assert.True(read.Code == 401 && read.IsProblem, $"GET {path}: {read}");
        }

        var resume = await host.PostAsync("/api/cases/INV-1/resume");
        var health = await host.GetAsync("/api/health");
        var webhook = await host.PostAsync("/api/webhooks/payments", "{}");
        var withKey = await host.SendAsync(HttpMethod.Get, "/api/cases", null, LoopbackHost.AdminKey);

        Assert.Equal(401, resume.Code);
        Assert.Equal(200, health.Code);
        Assert.Equal(401, webhook.Code); // refused for its missing signature, not for a key
        Assert.Contains("signature", webhook.Body["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, withKey.Code);
        Assert.Equal("paused", await StatusAsync(host));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081", false)]
    public void Listening_anywhere_but_loopback_is_told_apart(string urls, bool loopback) =>
        Assert.Equal(loopback, SiteGuard.LoopbackOnly(urls));

    [Fact]
    public async Task Serve_on_all_addresses_without_an_admin_key_is_refused_with_a_clear_error()
    {
        using var data = new TempFolder("dunning-exposed");

        var (exit, _, err) = await DunningProcess.RunAsync(TimeSpan.FromSeconds(60), "--data", data.Path, "serve", "--urls", "http://0.0.0.0:0");

        Assert.Equal(1, exit);
        Assert.Contains("Dunning__AdminKey", err, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", err, StringComparison.Ordinal);
    }
}
