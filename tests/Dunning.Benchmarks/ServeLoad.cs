using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Invoices;
using Dunning.Jurisdictions;
using Dunning.Local;
using Dunning.Local.Api;
using Dunning.Policies;
using Dunning.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dunning.Benchmarks;

/// <summary>
/// Load figures for <c>dunning serve</c> on loopback (issue 12, rows "signed payment webhooks" and "serve with 100k cases"),
/// each printed beside its floor measured in the same run: a bare Kestrel endpoint doing the least the route could.
/// <code>dotnet run -c Release --project tests/Dunning.Benchmarks -- serve-load [--cases 100000] [--webhooks 4000] [--concurrency 32] [--webhooks-only [--runner off|on] | --reads-only]</code>
/// </summary>
public static class ServeLoad
{
    private const string Secret = "bench-generic-secret";

    public static async Task<int> RunAsync(string[] args)
    {
        var cases = Option(args, "--cases", 100_000);
        var webhooks = Option(args, "--webhooks", 4_000);
        var concurrency = Option(args, "--concurrency", 32);
        // --seed-only DIR: the same cases written into a data folder that is kept, so a separate `dunning serve` process
        // can be measured on it (this driver hosts the server in its own process, whose memory includes the seeding's).
        if (OptionText(args, "--seed-only") is { } keep)
        {
            var seeding = Stopwatch.StartNew();
            await SeedAsync(LocalApp.Open(keep), cases);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {cases} cases into {keep} in {seeding.Elapsed.TotalSeconds:0.0} s"));
            return 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"serve-load: {cases} cases, {webhooks} webhooks, {concurrency} concurrent, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));

        await using (var floor = await FloorAsync())
        {
            var body = Encoding.UTF8.GetBytes(GenericBody("evt-floor", "INV-0000001"));
            Print("floor: bare Kestrel POST reading the body", await LoadAsync(floor.Client, webhooks, concurrency, _ => Post("/floor", body)));
            Print("floor: bare Kestrel GET of a small JSON", await LoadAsync(floor.Client, 2_000, 8, _ => new HttpRequestMessage(HttpMethod.Get, "/floor")));
        }

        // Off: the request path alone. On: the runner applies the payments while more arrive, taking the write lock in turns.
        if (!args.Contains("--reads-only"))
        {
            // --runner off or --runner on: one of the two (to profile it alone).
            var runner = OptionText(args, "--runner");
            if (runner is null or "off")
            {
                await WebhooksAsync(Math.Min(cases, 2_000), webhooks, concurrency, background: false);
            }

            if (runner is null or "on")
            {
                await WebhooksAsync(Math.Min(cases, 2_000), webhooks, concurrency, background: true);
            }
        }

        if (!args.Contains("--webhooks-only"))
        {
            await ReadsAsync(cases);
        }

        return 0;
    }

    private static async Task WebhooksAsync(int caseCount, int count, int concurrency, bool background)
    {
        using var folder = new Folder();
        var app = LocalApp.Open(folder.Path);
        var ids = await SeedAsync(app, caseCount);
        await using var host = await Host.StartAsync(app, background);
        var now = DateTimeOffset.UtcNow;
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Enumerable.Range(0, count + (count / 10)).Select(i =>
        {
            var body = GenericBody("evt-" + i.ToString(CultureInfo.InvariantCulture), ids[i % ids.Count], now);
            return (Body: Encoding.UTF8.GetBytes(body), Signature: GenericWebhook.SignatureHeader(body, Secret, timestamp));
        }).ToArray();

        // A first pass of a tenth as many other events warms the JIT up (tiered compilation) and is not counted.
        var warmUp = count / 10;
        await LoadAsync(host.Client, warmUp, concurrency, i => Signed(count + i));
        var (cpuAtStart, started) = (Process.GetCurrentProcess().TotalProcessorTime, Stopwatch.StartNew());
        var result = await LoadAsync(host.Client, count, concurrency, i => Signed(i));
        HttpRequestMessage Signed(int i)
        {
            var request = Post("/api/webhooks/payments", signed[i].Body);
            request.Headers.Add(GenericWebhook.TimestampHeaderName, timestamp);
            request.Headers.Add(GenericWebhook.SignatureHeaderName, signed[i].Signature);
            return request;
        }

        Print($"signed generic payment webhooks (serve, background runner {(background ? "on" : "off")})", result);
        var recorded = app.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT count(*) FROM webhook_events";
            return (long)command.ExecuteScalar()!;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  recorded {recorded - warmUp} of {count} deliveries ({result.Failures} non-2xx)"));
        if (background)
        {
            // A 202 only says recorded: what the runner leaves to do after the last answer is work this load caused too.
            var left = await DrainedAsync(app);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  all applied {started.Elapsed.TotalSeconds:0.00} s after the first request ({left} deliveries or signals still queued at the last answer); CPU {cpu.TotalSeconds:0.00} s = {cpu.TotalMicroseconds / count:0} µs/request"));
        }
    }

    /// <summary>Waits until the runner has applied every delivery and signal and finished every effect; how many were queued when asked.</summary>
    private static async Task<long> DrainedAsync(LocalApp app)
    {
        long Queued() => app.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = """
                SELECT (SELECT count(*) FROM webhook_pending) + (SELECT count(*) FROM inbox WHERE processed = 0)
                    + (SELECT count(*) FROM cases WHERE performing IS NOT NULL)
                """;
            return (long)command.ExecuteScalar()!;
        });
        var first = Queued();
        var deadline = Stopwatch.StartNew();
        while (Queued() > 0 && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(10);
        }

        return first;
    }

    private static async Task ReadsAsync(int caseCount)
    {
        using var folder = new Folder();
        var app = LocalApp.Open(folder.Path);
        var seed = Stopwatch.StartNew();
        await SeedAsync(app, caseCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {caseCount} cases in {seed.Elapsed.TotalSeconds:0.0} s"));
        GC.Collect();
        await using var host = await Host.StartAsync(app);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  serve idle: {Mb(Environment.WorkingSet)} MB working set{Split()}"));
        // Each route is asked 20 times first, not counted: the first answers are the JIT's (tiered compilation), not the route's.
        foreach (var route in new[] { "/api/cases", "/api/cases?status=open&customer=C-0007&limit=100", "/api/dashboard" })
        {
            await LoadAsync(host.Client, 20, 1, _ => new HttpRequestMessage(HttpMethod.Get, route));
        }

        Print("GET /api/cases (default page of 100)", await LoadAsync(host.Client, 400, 8, _ => new HttpRequestMessage(HttpMethod.Get, "/api/cases")));
        Print("GET /api/cases?status=open&customer=C-0007&limit=100", await LoadAsync(host.Client, 400, 8, _ => new HttpRequestMessage(HttpMethod.Get, "/api/cases?status=open&customer=C-0007&limit=100")));
        var middle = Dunning.Api.CaseCursor.Encode("INV-" + (caseCount / 2).ToString("0000000", CultureInfo.InvariantCulture));
        Print("GET /api/cases?cursor=(half-way)", await LoadAsync(host.Client, 400, 8, _ => new HttpRequestMessage(HttpMethod.Get, "/api/cases?cursor=" + middle)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after paged reads: {Mb(Environment.WorkingSet)} MB working set{Split()}"));
        Print("GET /api/dashboard", await LoadAsync(host.Client, 100, 4, _ => new HttpRequestMessage(HttpMethod.Get, "/api/dashboard")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after the dashboard: {Mb(Environment.WorkingSet)} MB working set{Split()}, peak {Mb(Process.GetCurrentProcess().PeakWorkingSet64)} MB"));
    }

    /// <summary>Customers C-0000.. (ten invoices each) in the ledger, and an open case per invoice written as the scan would, in one transaction.</summary>
    private static async Task<List<string>> SeedAsync(LocalApp app, int count)
    {
        var opened = new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.Zero);
        var customers = Enumerable.Range(0, (count + 9) / 10).Select(i => new Customer(
            new CustomerId("C-" + i.ToString("0000", CultureInfo.InvariantCulture)), "Customer " + i.ToString(CultureInfo.InvariantCulture), CustomerKind.Business,
            new Jurisdiction("US", "CA"), "America/Los_Angeles", ValueList.Of(new Contact(ContactRole.Billing, "ap" + i.ToString(CultureInfo.InvariantCulture) + "@example.com")))).ToList();
        var invoices = Enumerable.Range(0, count).Select(i => new Invoice(
            new InvoiceId("INV-" + i.ToString("0000000", CultureInfo.InvariantCulture)), customers[i / 10].Id, "N-" + i.ToString(CultureInfo.InvariantCulture),
            new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), new Money(100m + (i % 900), i % 4 == 0 ? "EUR" : "USD"), new Money(0m, i % 4 == 0 ? "EUR" : "USD"))).ToList();
        await app.Ledger.UpsertAsync(customers, invoices, CancellationToken.None);
        var facts = JurisdictionCatalog.Default.For(customers[0].Jurisdiction);
        using var connection = app.Database.Connect();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO cases (invoice_id, customer_id, status, state_json, status_json, wake_at, performing, version, updated_at)
            VALUES ($id, $customer, $status, $state, $statusJson, $wake, NULL, 1, $now)
            """;
        var parameters = new[] { "$id", "$customer", "$status", "$state", "$statusJson", "$wake", "$now" }.Select(n => insert.Parameters.Add(n, Microsoft.Data.Sqlite.SqliteType.Text)).ToArray();
        foreach (var invoice in invoices)
        {
            var state = CaseState.Open(invoice, customers[int.Parse(invoice.CustomerId.Value[2..], CultureInfo.InvariantCulture)], DefaultPolicy.Value, facts, opened);
            var status = CaseStatus.Of(state, CaseDecider.Decide(state, opened), opened);
            parameters[0].Value = invoice.Id.Value;
            parameters[1].Value = invoice.CustomerId.Value;
            parameters[2].Value = status.Status;
            parameters[3].Value = DunningJson.Serialize(state);
            parameters[4].Value = DunningJson.Serialize(status);
            parameters[5].Value = DBNull.Value;
            parameters[6].Value = opened.ToUnixTimeMilliseconds();
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return [.. invoices.Select(i => i.Id.Value)];
    }

    private static string GenericBody(string eventId, string invoiceId, DateTimeOffset? paidAt = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"eventId":"{{eventId}}","invoiceId":"{{invoiceId}}","amount":"0.01","currency":"{{(int.Parse(invoiceId[4..], CultureInfo.InvariantCulture) % 4 == 0 ? "EUR" : "USD")}}","paidAt":"{{paidAt ?? DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}","reference":"transfer-{{eventId}}"}""");

    private static HttpRequestMessage Post(string path, byte[] body) =>
        new(HttpMethod.Post, path) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };

    /// <summary>Cpu is the whole process's (client and server share it) while the requests ran: steadier than wall time on a shared machine.</summary>
    private sealed record Figures(int Requests, int Failures, TimeSpan Elapsed, double P50, double P99, double Max, TimeSpan Cpu)
    {
        public double PerSecond => Requests / Elapsed.TotalSeconds;

        public double CpuMicrosPerRequest => Cpu.TotalMicroseconds / Requests;
    }

    private static async Task<Figures> LoadAsync(HttpClient client, int count, int concurrency, Func<int, HttpRequestMessage> request)
    {
        var latencies = new double[count];
        var next = -1;
        var failures = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                using var message = request(i);
                using var response = await client.SendAsync(message);
                await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Array.Sort(latencies);
        return new Figures(count, failures, watch.Elapsed, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))], latencies[^1], cpu);
    }

    private static void Print(string what, Figures f) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {f.PerSecond,8:0}/s  p50 {f.P50,7:0.0} ms  p99 {f.P99,7:0.0} ms  max {f.Max,7:0.0} ms  CPU {f.Cpu.TotalSeconds:0.00} s = {f.CpuMicrosPerRequest,4:0} µs/request  ({f.Requests} requests, {f.Failures} non-2xx)"));

    private static long Mb(long bytes) => bytes / 1024 / 1024;

    // The working set counts the pages of the database SQLite has memory-mapped (mmap_size 256 MB): file pages the
    // kernel can drop, shared with its page cache. Linux says how much is the process's own (anonymous) memory.
    private static string Split()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status))
        {
            return "";
        }

        long Kb(string field) => File.ReadLines(status).Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).FirstOrDefault();
        return string.Create(CultureInfo.InvariantCulture, $" ({Kb("RssAnon") / 1024} MB the process's own, {Kb("RssFile") / 1024} MB mapped files)");
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static async Task<Host> FloorAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        web.MapPost("/floor", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            return Results.Text("{}", "application/json");
        });
        web.MapGet("/floor", () => Results.Text("""{"status":"ok"}""", "application/json"));
        await web.StartAsync();
        return new Host(web);
    }

    private sealed class Host(WebApplication web) : IAsyncDisposable
    {
        public HttpClient Client { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
        {
            BaseAddress = new Uri(web.Urls.Single()),
            Timeout = TimeSpan.FromMinutes(5),
            DefaultRequestVersion = HttpVersion.Version11,
        };

        public static async Task<Host> StartAsync(LocalApp app, bool background = true)
        {
            var web = WebHost.Create(app, "http://127.0.0.1:0", new Dictionary<string, string?>
            {
                ["Dunning:AdminKey"] = "bench-admin-key",
                ["Dunning:Webhooks:GenericSecret"] = Secret,
                ["Logging:LogLevel:Default"] = "Warning",
            }, background);
            await web.StartAsync();
            return new Host(web);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await web.StopAsync();
            await web.DisposeAsync();
        }
    }

    private sealed class Folder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("dunning-load-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
