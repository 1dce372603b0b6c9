using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Dunning.Common;
using Dunning.Local.Storage;
using Dunning.Local.Tests.Support;
using Dunning.Webhooks;
using Xunit.Abstractions;

namespace Dunning.Local.Tests;

/// <summary>
/// Hostile input against the real host (issue 9): forged and stale signatures, bodies and sizes the contract refuses,
/// injection attempts, a thousand concurrent duplicates, and <c>dunning serve</c> killed with SIGKILL during a payment
/// storm whose clients retry. It reports lost, double-counted and 5xx, and every one must be 0.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string AdminKey = "hostile-admin-key-0b1d";
    private const string Secret = "hostile-generic-secret-77c2";

    [Fact]
    public async Task Forged_oversized_and_injected_requests_are_refused_and_a_thousand_duplicates_count_once()
    {
        await using var host = await LoopbackHost.StartAsync(new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.Zero));
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", new DateOnly(2026, 3, 2), 5_000m));
        var now = host.Clock.Now;
        var fiveXx = 0;
        void Count(Answer a) => fiveXx += a.Code >= 500 ? 1 : 0;

        string Payment(string eventId, decimal amount, string reference) => string.Create(CultureInfo.InvariantCulture,
            $$"""{"eventId":"{{eventId}}","invoiceId":"INV-1","amount":{{amount}},"currency":"USD","paidAt":"2026-03-10T17:00:00Z","reference":"{{reference}}"}""");
        Task<Answer> Deliver(string body, string secret = LoopbackHost.GenericSecret, DateTimeOffset? at = null)
        {
            var (timestamp, signature) = GenericWebhook.Headers(body, secret, at ?? now);
            return host.PostAsync("/api/webhooks/payments", body, headers: [new(GenericWebhook.TimestampHeaderName, timestamp), new(GenericWebhook.SignatureHeaderName, signature)]);
        }

        // Signatures: forged, stale, missing.
        var forged = await Deliver(Payment("f1", 100m, "x"), secret: "guess");
        var stale = await Deliver(Payment("f2", 100m, "x"), at: now.AddMinutes(-6));
        var unsigned = await host.PostAsync("/api/webhooks/payments", Payment("f3", 100m, "x"));
        foreach (var a in new[] { forged, stale, unsigned })
        {
            Count(a);
            Assert.True(a.Code == 401 && a.IsProblem, a.ToString());
        }

        // Bodies and sizes.
        var hostile = new List<Answer>
        {
            await Deliver("""{"eventId":"b1","invoiceId":"INV-1","amount":1e400,"currency":"USD","paidAt":"2026-03-10T17:00:00Z"}"""),
            await Deliver("""{"eventId":"b2","invoiceId":"INV-1","amount":-5,"currency":"USD","paidAt":"2026-03-10T17:00:00Z"}"""),
            await Deliver("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
            await Deliver(Payment("b4", 1m, new string('r', 600))),
            await Deliver(Payment("b5", 1m, "nul\\u0000ref")),
            await host.PostAsync("/api/cases/INV-1/payments", $$"""{"amount":1,"currency":"USD","reference":"{{new string('r', 3_900_000)}}"}"""),
            await host.PostAsync("/api/cases/INV-1/payments", new string('{', 5 * 1024 * 1024)),
            await host.PostAsync("/api/cases/INV-1/pause", """{"reasn":"typo"}"""),
            await host.GetAsync("/api/cases/" + new string('a', 9_000)),
            await host.SendAsync(HttpMethod.Get, "/api/cases", null, headers: [new("X-Big", new string('h', 40_000))]),
            await host.PostAsync("/api/cases/INV-1/resume", headers: [new("Host", "evil.example"), new("Origin", "http://evil.example")]),
        };
        foreach (var a in hostile)
        {
            Count(a);
            Assert.True(a.Code is >= 400 and < 500 && a.IsProblem, a.ToString()[..Math.Min(300, a.ToString().Length)]);
        }

        // Injection: a formula as a reference is stored as text and neutralised in every CSV.
        Count(await Deliver(Payment("i1", 1m, "=HYPERLINK(\\\"http://evil.example\\\")")));
        await host.RunnerTurnAsync();

        // Concurrency: one event delivered 1,000 times at once, and distinct events that share a reference.
        var body = Payment("dup-1", 100m, "BW-0019");
        var duplicates = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ => Deliver(body)));
        var sharing = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Deliver(Payment($"share-{i}", 10m, "BW-0019"))));
        foreach (var a in duplicates.Concat(sharing))
        {
            Count(a);
            Assert.True(a.Code is 200 or 202, a.ToString());
        }

        // Recorded once (202, applied by the runner), every other delivery of it a duplicate, decided in the request.
        Assert.Equal(1, duplicates.Count(a => a.Code == 202));
        Assert.All(sharing, a => Assert.Equal(202, a.Code));

        await host.RunnerTurnAsync();
        var paid = (await host.CaseAsync("INV-1"))["paid"]!["amount"]!.GetValue<decimal>();
        var expected = 1m + 100m + (20 * 10m);
        output.WriteLine($"hostile: {hostile.Count + 3} refused, lost {Math.Max(0, expected - paid)}, double-counted {Math.Max(0, paid - expected)}, 5xx {fiveXx}");
        Assert.Equal(expected, paid);
        Assert.Equal(0, fiveXx);
    }

    [Fact]
    public async Task Serve_killed_during_a_payment_storm_with_retrying_clients_loses_nothing_and_counts_nothing_twice()
    {
        using var data = new TempFolder("dunning-storm");
        Assert.Equal(0, (await ConsoleCapture.CliAsync(Sample.Init(data.Path))).Exit);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string[] cased = ["INV-1", "INV-2", "INV-3"];
        string[] uncased = ["INV-7", "INV-8"];

        Process Serve()
        {
            var info = DunningProcess.StartInfo("--data", data.Path, "serve", "--urls", address.ToString().TrimEnd('/'));
            info.Environment["Dunning__AdminKey"] = AdminKey;
            info.Environment["Dunning__Webhooks__GenericSecret"] = Secret;
            var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return process;
        }

        async Task<HttpResponseMessage?> TrySend(Func<HttpRequestMessage> request)
        {
            try
            {
                return await http.SendAsync(request());
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return null; // the host is down: the client retries
            }
        }

        HttpRequestMessage Admin(HttpMethod method, string path, string? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Admin-Key", AdminKey);
            return request;
        }

        async Task<HttpResponseMessage> Until(Func<HttpRequestMessage> request)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (await TrySend(request) is { IsSuccessStatusCode: true } ok)
                {
                    return ok;
                }

                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the host did not come up");
                await Task.Delay(100);
            }
        }

        var serve = Serve();
        try
        {
            await Until(() => Admin(HttpMethod.Post, "/api/customers", Sample.HarborBakeryJson));
            var invoices = cased.Select(id => Sample.InvoiceJson(id, "C1", today.AddDays(-40), 10_000m))
                .Concat(uncased.Select(id => Sample.InvoiceJson(id, "C1", today.AddDays(60), 10_000m)));
            await Until(() => Admin(HttpMethod.Post, "/api/invoices", "[" + string.Join(",", invoices) + "]"));
            await Until(() => Admin(HttpMethod.Post, "/api/scan"));

            // The storm: 300 distinct payments of 1.00 (many sharing one reference), each sent twice at once by clients
            // that retry until the host answers, while the host is killed with SIGKILL and started again.
            var all = cased.Concat(uncased).ToArray();
            var events = Enumerable.Range(0, 300).Select(i => (Id: $"storm-{i}", Invoice: all[i % all.Length])).ToList();
            var fiveXx = 0;
            var retries = 0;
            var acknowledged = new ConcurrentDictionary<string, bool>();
            var paidAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            async Task Client(string eventId, string invoice)
            {
                var body = $$"""{"eventId":"{{eventId}}","invoiceId":"{{invoice}}","amount":1.00,"currency":"USD","paidAt":"{{paidAt}}","reference":"BW-0019"}""";
                while (true)
                {
                    var response = await TrySend(() =>
                    {
                        var (timestamp, signature) = GenericWebhook.Headers(body, Secret, DateTimeOffset.UtcNow);
                        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/payments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                        request.Headers.Add(GenericWebhook.TimestampHeaderName, timestamp);
                        request.Headers.Add(GenericWebhook.SignatureHeaderName, signature);
                        return request;
                    });
                    if (response is { StatusCode: HttpStatusCode.OK or HttpStatusCode.Accepted })
                    {
                        acknowledged[eventId] = true;
                        return;
                    }

                    if ((int?)response?.StatusCode >= 500)
                    {
                        Interlocked.Increment(ref fiveXx);
                    }

                    Interlocked.Increment(ref retries);
                    await Task.Delay(50);
                }
            }

            var storm = Task.WhenAll(events.SelectMany(e => new[] { Client(e.Id, e.Invoice), Client(e.Id, e.Invoice) }));
            var kills = 0;
            var random = new Random(20261204);
            while (!storm.IsCompleted && kills < 3)
            {
                await Task.Delay(random.Next(150, 600));
                serve.Kill(entireProcessTree: true); // SIGKILL
                await serve.WaitForExitAsync();
                serve.Dispose();
                kills++;
                serve = Serve();
            }

            await storm.WaitAsync(TimeSpan.FromSeconds(45));
            await Until(() => Admin(HttpMethod.Post, "/api/scan")); // the runner's turn for every queued signal

            var lost = 0m;
            var doubled = 0m;
            foreach (var invoice in cased)
            {
                var expected = events.Count(e => e.Invoice == invoice);
                var view = JsonNode.Parse(await (await Until(() => Admin(HttpMethod.Get, $"/api/cases/{invoice}"))).Content.ReadAsStringAsync())!;
                var paid = view["paid"]!["amount"]!.GetValue<decimal>();
                lost += Math.Max(0, expected - paid);
                doubled += Math.Max(0, paid - expected);
            }

            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
            var ledger = new SqliteLedger(Database.Open(Path.Combine(data.Path, Database.FileName)));
            foreach (var invoice in uncased)
            {
                var expected = events.Count(e => e.Invoice == invoice);
                var paid = (await ledger.GetInvoiceAsync(new InvoiceId(invoice), default))!.AmountPaid.Amount;
                lost += Math.Max(0, expected - paid);
                doubled += Math.Max(0, paid - expected);
            }

            output.WriteLine($"storm: {events.Count} payments sent twice each, {kills} SIGKILLs, {retries} client retries; lost {lost}, double-counted {doubled}, 5xx {fiveXx}");
            Assert.Equal(events.Count, acknowledged.Count);
            Assert.True(kills >= 1, "no kill landed during the storm");
            Assert.Equal(0m, lost);
            Assert.Equal(0m, doubled);
            Assert.Equal(0, fiveXx);
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync();
            }

            serve.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
