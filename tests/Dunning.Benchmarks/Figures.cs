using System.Diagnostics;
using System.Globalization;
using Dunning.Local;
using Dunning.Local.Storage;
using Microsoft.Data.Sqlite;

namespace Dunning.Benchmarks;

/// <summary>
/// The figures of issue 12, each printed next to a floor measured in the same run on the same machine:
/// <list type="bullet">
/// <item>runner: <c>dunning run</c>'s transitions/s over 120 simulated days, against a raw SQLite loop committing one
/// state (of the run's mean size) and one outbox row per transaction with the same pragmas;</item>
/// <item>simulate: the <c>dunning simulate</c> process (wall time, peak RSS), against a process that only parses the CSVs;</item>
/// <item>import: the <c>dunning import</c> process, against a process that parses the invoices and inserts them raw in one transaction;</item>
/// <item>scan: the daily scan over a ledger with a number newly due, against one SQL pass that opens a row per due invoice.</item>
/// </list>
/// Processes are measured with <c>/usr/bin/time</c>, so their peak memory is their own.
/// </summary>
public static class Figures
{
    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 268435456; PRAGMA busy_timeout = 30000;";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["floor-read", var customers, var invoices])
        {
            return FloorRead(customers, invoices);
        }

        if (args is ["floor-insert", var db, var invoicesFile])
        {
            return FloorInsert(db, invoicesFile);
        }

        var options = Options(args);
        var work = Path.Combine(Path.GetTempPath(), "dunning-figures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            foreach (var n in options.GetValueOrDefault("runner", []))
            {
                await RunnerAsync(work, n);
            }

            foreach (var n in options.GetValueOrDefault("simulate", []))
            {
                Simulate(work, n);
            }

            foreach (var n in options.GetValueOrDefault("import", []))
            {
                Import(work, n);
            }

            foreach (var n in options.GetValueOrDefault("scan", []))
            {
                await ScanAsync(work, n, options.TryGetValue("due", out var due) ? due[0] : 10_000);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static Dictionary<string, int[]> Options(string[] args)
    {
        var options = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = [.. args[i + 1].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        }

        return options.Count > 0 ? options : new() { ["runner"] = [1000] };
    }

    private static async Task RunnerAsync(string work, int cases)
    {
        var folder = Path.Combine(work, $"runner-{cases}");
        var app = RunnerBenchmarks.Open(folder, cases);
        // CPU time beside wall time: on a machine shared with other builds the wall time swings with the load, the
        // process's own CPU time much less (it still includes the kernel's share of the file effects).
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await app.Driver!.AdvanceAsync(RunnerBenchmarks.Start.AddDays(120));
        var seconds = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var cpuSeconds = (self.TotalProcessorTime - cpu).TotalSeconds;
        var stateSize = (int)app.Database.Read(c => Average(c, "SELECT avg(length(state_json)) FROM cases"));
        app.Runner.Dispose();

        var floor = RawCommitsPerSecond(Path.Combine(work, $"floor-{cases}.db"), Math.Min(result.Run.Transitions, 20_000), stateSize);
        var rate = result.Run.Transitions / seconds;
        Print($"runner {cases} cases, 120 days",
            $"{result.Run.Transitions} transitions, {result.Run.Effects} effects in {seconds:0.00} s = {rate:0} transitions/s, CPU {cpuSeconds:0.0} s = {result.Run.Transitions / cpuSeconds:0} transitions per CPU-second",
            $"raw loop, one commit per transition (state {stateSize} B + outbox row): {floor:0}/s",
            $"{rate / floor:0.00}x the floor");
    }

    /// <summary>The floor of the per-transition design: what this disk commits per second, one state and one outbox row each.</summary>
    internal static double RawCommitsPerSecond(string file, int commits, int stateSize)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Execute(connection, Pragmas + """
            CREATE TABLE cases (invoice_id TEXT PRIMARY KEY, state_json TEXT NOT NULL, version INTEGER NOT NULL);
            CREATE TABLE outbox (key TEXT PRIMARY KEY, invoice_id TEXT NOT NULL, action_json TEXT NOT NULL);
            """);
        const int Cases = 1000;
        var state = new string('s', stateSize);
        using (var seed = connection.BeginTransaction())
        {
            for (var i = 0; i < Cases; i++)
            {
                Execute(connection, $"INSERT INTO cases VALUES ('I{i}', '{state}', 1)", seed);
            }

            seed.Commit();
        }

        using var update = Command(connection, "UPDATE cases SET state_json = $state, version = version + 1 WHERE invoice_id = $id", "$state", "$id");
        using var insert = Command(connection, "INSERT INTO outbox VALUES ($key, $id, $action)", "$key", "$id", "$action");
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < commits; i++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            update.Transaction = insert.Transaction = transaction;
            var id = "I" + (i % Cases).ToString(CultureInfo.InvariantCulture);
            update.Parameters[0].Value = state;
            update.Parameters[1].Value = id;
            update.ExecuteNonQuery();
            insert.Parameters[0].Value = id + "/" + i.ToString(CultureInfo.InvariantCulture);
            insert.Parameters[1].Value = id;
            insert.Parameters[2].Value = """{"$type":"contact","stepId":"gentle","channel":"email"}""";
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return commits / watch.Elapsed.TotalSeconds;
    }

    private static void Simulate(string work, int invoices)
    {
        var (customers, invoicesFile) = LedgerFiles.Write(Path.Combine(work, $"ledger-{invoices}"), invoices);
        var run = Measure(DunningCli(), "--data", Path.Combine(work, $"simulate-{invoices}"), "simulate", "--customers", customers, "--invoices", invoicesFile);
        var floor = Measure(Self(), "figures", "floor-read", customers, invoicesFile);
        Print($"simulate {invoices} invoices", run.ToString(), $"reading the CSVs alone: {floor}", $"{run.Seconds / floor.Seconds:0.0}x the floor");
    }

    private static void Import(string work, int invoices)
    {
        var (customers, invoicesFile) = LedgerFiles.Write(Path.Combine(work, $"ledger-{invoices}"), invoices);
        var data = Path.Combine(work, $"import-{invoices}");
        Init(data);
        var run = Measure(DunningCli(), "--data", data, "import", "--customers", customers, "--invoices", invoicesFile);
        var floor = Measure(Self(), "figures", "floor-insert", Path.Combine(work, $"floor-import-{invoices}.db"), invoicesFile);
        Print($"import {invoices} invoices", run.ToString(), $"raw bulk insert (parse + one transaction): {floor}", $"{run.Seconds / floor.Seconds:0.0}x the floor");
    }

    private static async Task ScanAsync(string work, int invoices, int due)
    {
        var (customers, invoicesFile) = LedgerFiles.Write(Path.Combine(work, $"ledger-{invoices}"), invoices);
        var data = Path.Combine(work, $"scan-{invoices}");
        Init(data);
        var import = Measure(DunningCli(), "--data", data, "import", "--customers", customers, "--invoices", invoicesFile);
        if (import.Exit != 0)
        {
            Print($"scan {invoices} invoices", $"import failed: {import.Output}", "", "");
            return;
        }

        // Every invoice but the last `due` already has its case (or needs none); those are due today.
        var today = LedgerFiles.FirstDue.AddDays(365 + 30);
        var app = LocalApp.Open(data, clock: new Local.Runner.SimulatedClock(new DateTimeOffset(today.ToDateTime(LocalApp.DefaultScanAt), TimeSpan.Zero)));
        app.Database.Write((c, t) => Execute(c, string.Create(CultureInfo.InvariantCulture, $"""
            UPDATE invoices SET pending = 0;
            UPDATE invoices SET pending = 1, due_date = '{today.AddDays(-20):yyyy-MM-dd}'
            WHERE rowid IN (SELECT rowid FROM invoices WHERE outstanding = 1 ORDER BY rowid DESC LIMIT {due});
            """), t));
        var copy = Path.Combine(work, $"scan-floor-{invoices}.db");
        app.Database.Write((c, t) => Execute(c, "SELECT 1", t));
        app.Database.Read(c =>
        {
            Execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return 0;
        });
        File.Copy(Path.Combine(data, Database.FileName), copy);

        var watch = Stopwatch.StartNew();
        var result = await app.Scan.RunAsync(app.Clock.GetUtcNow(), CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        var stateSize = app.Database.Read(c => Average(c, "SELECT avg(length(state_json)) FROM cases"));
        var statusSize = app.Database.Read(c => Average(c, "SELECT avg(length(status_json)) FROM cases"));

        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        Execute(connection, Pragmas);
        watch.Restart();
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            Execute(connection, $"""
                INSERT INTO cases (invoice_id, customer_id, status, state_json, status_json, wake_at, performing, version, updated_at)
                SELECT id, customer_id, 'open',
                    json_object('invoice', json(json), 'paidAtOpen', json(json) -> '$.amountPaid', 'paidHere', json(json) -> '$.amountPaid', 'pad', printf('%.{(int)Math.Max(0, stateSize - 1200)}c', 'x')),
                    json_object('stage', 'opened', 'balance', json(json) -> '$.amount', 'pad', printf('%.{(int)Math.Max(0, statusSize - 100)}c', 'x')),
                    0, NULL, 1, 0
                FROM invoices WHERE pending = 1 AND due_date <= '{today:yyyy-MM-dd}';
                UPDATE invoices SET pending = 0 WHERE pending = 1 AND due_date <= '{today:yyyy-MM-dd}';
                """, transaction);
            transaction.Commit();
        }

        var floor = watch.Elapsed.TotalSeconds;
        Print($"daily scan, {invoices} invoices, {due} newly due",
            $"{result.Started} started in {seconds:0.00} s",
            $"one SQL pass inserting the same rows: {floor:0.00} s",
            $"{seconds / floor:0.0}x the floor");
    }

    private static int FloorRead(string customers, string invoices)
    {
        using var c = new StreamReader(customers);
        var parsedCustomers = Dunning.Import.LedgerCsv.ParseCustomers(Path.GetFileName(customers), c);
        using var i = new StreamReader(invoices);
        var parsedInvoices = Dunning.Import.LedgerCsv.ParseInvoices(Path.GetFileName(invoices), i, parsedCustomers.Rows.Select(r => r.Id).ToHashSet());
        Console.WriteLine($"{parsedCustomers.Rows.Count} customers, {parsedInvoices.Rows.Count} invoices, {parsedInvoices.Errors.Count} errors");
        return 0;
    }

    /// <summary>Invoices parsed line by line and inserted with one prepared statement in one transaction, with their JSON column.</summary>
    private static int FloorInsert(string file, string invoices)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        Execute(connection, Pragmas + """
            CREATE TABLE invoices (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, due_date TEXT NOT NULL,
                outstanding INTEGER NOT NULL, pending INTEGER NOT NULL DEFAULT 1, json TEXT NOT NULL);
            """);
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = Command(connection, "INSERT INTO invoices (id, customer_id, due_date, outstanding, json) VALUES ($id, $customer, $due, $outstanding, $json)",
            "$id", "$customer", "$due", "$outstanding", "$json");
        insert.Transaction = transaction;
        using var reader = new StreamReader(invoices);
        reader.ReadLine();
        var rows = 0;
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            insert.Parameters[0].Value = f[0];
            insert.Parameters[1].Value = f[1];
            insert.Parameters[2].Value = f[4];
            insert.Parameters[3].Value = decimal.Parse(f[6], CultureInfo.InvariantCulture) > decimal.Parse(f[7], CultureInfo.InvariantCulture) ? 1 : 0;
            insert.Parameters[4].Value = string.Concat(
                $"{{\"id\":\"{f[0]}\",\"customerId\":\"{f[1]}\",\"number\":\"{f[2]}\",\"issueDate\":\"{f[3]}\",\"dueDate\":\"{f[4]}\",",
                $"\"amount\":{{\"amount\":{f[6]},\"currency\":\"{f[5]}\"}},\"paid\":{{\"amount\":{f[7]},\"currency\":\"{f[5]}\"}}}}");
            insert.ExecuteNonQuery();
            rows++;
        }

        transaction.Commit();
        Console.WriteLine($"{rows} invoices");
        return 0;
    }

    private sealed record Measured(int Exit, double Seconds, long PeakKilobytes, string Output)
    {
        public override string ToString() => Exit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Seconds:0.00} s, peak {PeakKilobytes / 1024} MB")
            : $"failed ({Exit}): {Output.Trim()}";
    }

    /// <summary>Runs a process under <c>/usr/bin/time</c>: wall seconds and peak resident memory of that process alone.</summary>
    private static Measured Measure(string[] command, params string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-f", "figure %e %M", .. command, .. args])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith("figure ", StringComparison.Ordinal)) ?? "figure 0 0";
        var parts = last.Split(' ');
        return new Measured(process.ExitCode, double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
            stdout.Result + stderr);
    }

    /// <summary>A real business profile: <c>import</c> refuses a data folder still on the placeholder one.</summary>
    private static void Init(string data)
    {
        var init = Measure(DunningCli(), "--data", data, "init", "--name", "Figures Ltd", "--email", "accounts@figures.example", "--owner", "Ann Figures",
            "--phone", "+1 415 555 0100", "--address", "1 Bench Street, Oakland, CA 94607", "--payment-link", "https://pay.figures.example/i/{invoiceNumber}");
        if (init.Exit != 0)
        {
            throw new InvalidOperationException("dunning init failed: " + init.Output);
        }
    }

    private static string[] DunningCli() => ["dotnet", Path.Combine(AppContext.BaseDirectory, "dunning.dll")];

    private static string[] Self() => ["dotnet", typeof(Figures).Assembly.Location];

    private static void Print(string what, string figure, string floor, string ratio) =>
        Console.WriteLine($"| {what} | {figure} | {floor} | {ratio} |");

    private static double Average(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is double value ? value : 0;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
