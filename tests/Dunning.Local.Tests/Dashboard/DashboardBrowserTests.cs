using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dunning.Local.Api;
using Dunning.Local.Cli;
using Dunning.Local.Tests.Support;
using Dunning.Policies;
using Microsoft.AspNetCore.Builder;

namespace Dunning.Local.Tests.Dashboard;

/// <summary>A fact that needs headless Chromium: reported as skipped, with the reason, on a machine without it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>DUNNING_CHROMIUM, else Debian's chromium, else the Google Chrome that GitHub's Ubuntu runners carry.</summary>
    public static readonly string? Path = new[] { Environment.GetEnvironmentVariable("DUNNING_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/google-chrome" }
        .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public ChromiumFactAttribute()
    {
        if (Path is null)
        {
            Skip = "No Chromium (DUNNING_CHROMIUM, /usr/bin/chromium or /usr/bin/google-chrome; apt-get install chromium): the dashboard's browser test cannot run.";
        }
    }
}

/// <summary>
/// The demo's data folder served by the real web host on 127.0.0.1 (a port the OS picks, background work off),
/// shared by the tests of <see cref="DashboardBrowserTests"/>.
/// </summary>
public sealed class DemoHost : IAsyncLifetime
{
    private readonly TempFolder folder = new("dunning-dashboard");
    private WebApplication? web;

    public Uri Address { get; private set; } = null!;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        if (ChromiumFactAttribute.Path is null)
        {
            return;
        }

        Assert.Equal(0, await Demo.RunAsync(folder.Path, DefaultPolicy.Value, CancellationToken.None));
        var app = LocalApp.Open(folder.Path, clock: LocalApp.ClockOf(folder.Path));
        web = WebHost.Create(app, "http://127.0.0.1:0", new Dictionary<string, string?> { ["Dunning:AdminKey"] = "dashboard-test-key" }, background: false);
        await web.StartAsync();
        Address = new Uri(web.Urls.Single());
        Client.BaseAddress = Address;
    }

    /// <summary>What the API says, to compare the page with.</summary>
    public async Task<JsonNode> JsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (web is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await web.StopAsync(stopping.Token);
            await web.DisposeAsync();
        }

        folder.Dispose();
    }
}

/// <summary>
/// The dashboard as a user sees it: headless Chromium loads the page from the real host over the demo's data, runs its
/// script against the API, and the rendered DOM is checked for what a person would notice.
/// </summary>
public sealed partial class DashboardBrowserTests(DemoHost host) : IClassFixture<DemoHost>
{
    [ChromiumFact]
    public async Task The_page_lists_the_demo_cases_with_their_statuses_totals_per_currency_and_the_aging()
    {
        var dom = await RenderAsync("/");
        var summary = await host.JsonAsync("/api/dashboard");
        var aging = await host.JsonAsync("/api/reports/aging");

        Assert.Contains("<h1>Overdue invoices</h1>", dom, StringComparison.Ordinal);
        Assert.Matches(ProblemsHidden(), dom);
        Assert.DoesNotContain("Not available right now", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("[object", dom, StringComparison.Ordinal);

        // Every case is a row of the table, with its customer, status and balance.
        var cases = summary["cases"]!.AsArray();
        Assert.Contains(cases, c => c!["case"]!["invoiceId"]!.GetValue<string>() == "INV-1005");
        foreach (var c in cases.Select(c => c!["case"]!))
        {
            var row = Text(Row(dom, $"<tr data-invoice=\"{c["invoiceId"]!.GetValue<string>()}\">"));
            Assert.Contains(c["customerName"]!.GetValue<string>(), row, StringComparison.Ordinal);
            Assert.Contains(c["status"]!.GetValue<string>(), row, StringComparison.Ordinal);
            Assert.Contains(Amount(c["balance"]!), row, StringComparison.Ordinal);
        }

        var sunshine = Text(Row(dom, "<tr data-invoice=\"INV-1005\">"));
        Assert.Contains("Sunshine Pools", sunshine, StringComparison.Ordinal);
        Assert.Contains("flagged", sunshine, StringComparison.Ordinal);
        Assert.Contains("$1,600.00", sunshine, StringComparison.Ordinal);

        // One totals row per currency: owed, recovered and flagged, formatted as money.
        var totals = Section(dom, "totals");
        foreach (var t in summary["totals"]!.AsArray())
        {
            var row = Text(Row(totals, $"<th scope=\"row\">{t!["currency"]!.GetValue<string>()}</th>"));
            Assert.Contains(Amount(t["owed"]!), row, StringComparison.Ordinal);
            Assert.Contains(Amount(t["recovered"]!), row, StringComparison.Ordinal);
            Assert.Contains(Amount(t["flagged"]!), row, StringComparison.Ordinal);
        }

        // The status counts: 25 cases, and as many flagged as the API says.
        var statuses = Text(Section(dom, "statuses", "id=\"stages\""));
        var flagged = cases.Count(c => c!["case"]!["status"]!.GetValue<string>() == "flagged");
        Assert.Contains($"{cases.Count} all", statuses, StringComparison.Ordinal);
        Assert.Contains($"{flagged} flagged", statuses, StringComparison.Ordinal);

        // The aging table: the buckets, one row per customer and currency, and a total per currency.
        var agingTable = Section(dom, "aging");
        var header = Text(agingTable);
        foreach (var bucket in new[] { "Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days", "Total" })
        {
            Assert.Contains(bucket, header, StringComparison.Ordinal);
        }

        Assert.NotEmpty(aging["rows"]!.AsArray());
        foreach (var r in aging["rows"]!.AsArray())
        {
            var name = r!["customerName"]!.GetValue<string>().Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
            Assert.Contains($"<td>{name}</td>", agingTable, StringComparison.Ordinal);
        }

        foreach (var t in aging["totals"]!.AsArray())
        {
            var row = Text(Row(agingTable, $"<th scope=\"row\">Total {t!["currency"]!.GetValue<string>()}</th>"));
            Assert.Contains(Amount(t["buckets"]!["total"]!), row, StringComparison.Ordinal);
        }

        // The call list with its scripts, and the webhook delivery that matched no invoice.
        Assert.Contains("Call script", Section(dom, "calls"), StringComparison.Ordinal);
        Assert.Contains("INV-9999", Text(Section(dom, "review")), StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Opening_a_case_shows_its_timeline_recommendation_and_evidence()
    {
        var dom = await RenderAsync("/#case=INV-1005");

        Assert.Matches(DialogOpen(), dom);
        var dialog = Section(dom, "case-dialog", "</dialog>");
        var text = Text(dialog);
        Assert.Contains("Case INV-1005: Sunshine Pools", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[object", text, StringComparison.Ordinal);
        Assert.Contains("Balance $1,600.00", text, StringComparison.Ordinal);
        Assert.Contains("Recommendation: small-claims", text, StringComparison.Ordinal);
        Assert.Contains("Court County Court small claims", text, StringComparison.Ordinal);
        Assert.Contains("plan of 3 installment(s) agreed", text, StringComparison.Ordinal);
        Assert.Contains("flagged for small-claims", text, StringComparison.Ordinal);
        Assert.Contains("1200 Brickell Ave, Miami, FL 33131", text, StringComparison.Ordinal);
        Assert.Contains("letters/INV-1005/step-letter.html", text, StringComparison.Ordinal);
        Assert.Contains("evidence/INV-1005/recommendation.md", text, StringComparison.Ordinal);
    }

    /// <summary>Loads the page in headless Chromium (a fresh profile, nothing from the network but the host) and returns the DOM after its script ran.</summary>
    private async Task<string> RenderAsync(string path)
    {
        var profile = new TempFolder("dunning-chromium");
        try
        {
            var start = new ProcessStartInfo(ChromiumFactAttribute.Path!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            string[] arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-US", $"--user-data-dir={profile.Path}",
                "--virtual-time-budget=10000", "--dump-dom", new Uri(host.Address, path).ToString(),
            ];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["LANG"] = "en_US.UTF-8";
            using var chromium = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var output = chromium.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = chromium.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await chromium.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                Assert.Fail($"Chromium did not finish within 90 s rendering {path}.");
            }

            var dom = await output;
            Assert.True(dom.Contains("</html>", StringComparison.Ordinal), $"Chromium printed no page for {path} (exit {chromium.ExitCode}): {await errors}");
            return dom;
        }
        finally
        {
            profile.Dispose();
        }
    }

    /// <summary>A money amount as the page prints it in en-US, without the symbol: 57360 becomes "57,360.00".</summary>
    private static string Amount(JsonNode money) => money["amount"]!.GetValue<decimal>().ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>The page from the element with this id up to the first <paramref name="close"/> after it (by default, the end of its table).</summary>
    private static string Section(string dom, string id, string close = "</table>")
    {
        var start = dom.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The page has no #{id}.");
        var end = dom.IndexOf(close, start, StringComparison.Ordinal);
        Assert.True(end > start, $"#{id} has no {close} after it.");
        return dom[start..(end + close.Length)];
    }

    /// <summary>The table row that contains <paramref name="marker"/>.</summary>
    private static string Row(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"No row with {marker}.");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        var end = html.IndexOf("</tr>", at, StringComparison.Ordinal);
        return html[start..end];
    }

    /// <summary>The text a person reads: tags become spaces, entities are decoded, runs of space are one.</summary>
    private static string Text(string html) =>
        Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();

    [GeneratedRegex("<div id=\"problems\" class=\"problems\" role=\"alert\" hidden(=\"\")?>")]
    private static partial Regex ProblemsHidden();

    [GeneratedRegex("<dialog id=\"case-dialog\"[^>]*\\bopen")]
    private static partial Regex DialogOpen();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
