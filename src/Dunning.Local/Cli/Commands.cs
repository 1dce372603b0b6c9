using System.CommandLine;
using System.Globalization;
using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Import;
using Dunning.Jurisdictions;
using Dunning.Local.Api;
using Dunning.Local.Runner;
using Dunning.Local.Storage;
using Dunning.Reports;
using Dunning.Simulation;
using Dunning.UseCases;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>The commands of <c>dunning</c>; each is a thin driver of <see cref="LocalApp"/> and the core's use cases.</summary>
internal static class Commands
{
    public static Command Demo()
    {
        var command = new Command("demo",
            "Make a sample business (customers in several jurisdictions, invoices in five currencies), run four months of collection on a " +
            "simulated clock with signed payment webhooks, plans, disputes and unanswered cases, and print a summary. " +
            "Uses ./.dunning/demo (wiped first) unless --data is given.");
        command.SetAction(async (parse, ct) =>
        {
            var data = CommandLine.DataFolder(parse, Path.Combine(CommandLine.DefaultData, "demo"));
            var policy = CommandLine.Policy(parse, data);
            using var hold = FolderLock.Acquire(data, "demo");
            return await Cli.Demo.RunAsync(data, policy, ct);
        });
        return command;
    }

    public static Command Import()
    {
        var customers = new Option<string?>("--customers") { Description = "customers.csv (id, name, kind, country, region, timezone, contacts, phone, address, language)", HelpName = "FILE" };
        var invoices = new Option<string?>("--invoices") { Description = "invoices.csv (id, customer_id, number, issue_date, due_date, currency, amount, amount_paid, optional lines as description|qty|unit price;...)", HelpName = "FILE" };
        var command = new Command("import", "Import customers and invoices (upsert by id). All or nothing: a file with errors changes nothing and every bad row is listed (the first 1,000 problems, with the count of all).")
        {
            customers,
            invoices,
        };
        command.SetAction(async (parse, ct) =>
        {
            var customersFile = parse.GetValue(customers);
            var invoicesFile = parse.GetValue(invoices);
            if (customersFile is null && invoicesFile is null)
            {
                throw new CliException("Give --customers FILE, --invoices FILE, or both.");
            }

            using var hold = Hold(parse, "import");
            var app = OpenToContact(parse);
            using var customersReader = Reader(customersFile);
            if (invoicesFile is not null && !File.Exists(invoicesFile))
            {
                throw new CliException($"No file at {invoicesFile}.");
            }

            var report = await app.Import.ImportCsvAsync(
                Path.GetFileName(customersFile ?? "customers.csv"), customersReader, Path.GetFileName(invoicesFile ?? "invoices.csv"),
                invoicesFile is null ? null : () => Reader(invoicesFile)!, ct);
            if (report.Errors.Count > 0)
            {
                var listed = report.ErrorCount > report.Errors.Count ? $" (the first {report.Errors.Count} listed)" : string.Empty;
                throw new CliException($"Nothing was imported: {report.ErrorCount} problem(s){listed}.", [.. report.Errors.Select(e => e.ToString())]);
            }

            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Imported [bold]{0}[/] customer(s) and [bold]{1}[/] invoice(s); {2} running case(s) told of changes.", report.Customers, report.Invoices, report.CasesTold);
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Scan()
    {
        var asOf = new Option<string?>("--as-of") { Description = "Scan as on this day (at 06:00 UTC) instead of now", HelpName = "DATE" };
        var command = new Command("scan", "Run one daily scan: start a case for every newly overdue invoice, and print how many. Scanning twice starts nothing twice.")
        {
            asOf,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var hold = Hold(parse, "scan");
            var app = Open(parse);
            var now = parse.GetValue(asOf) is { } day ? CommandLine.Instant(day, "--as-of", app.ScanAt) : app.Clock.GetUtcNow();
            var result = await app.Scan.RunAsync(now, ct);
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Scan at {0:yyyy-MM-dd HH:mm} UTC: [bold]{1}[/] case(s) started, {2} already running, {3} with nothing owed.",
                now, result.Started, result.AlreadyRunning, result.NothingOwed);
            foreach (var problem in result.Problems)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{problem}[/]");
            }

            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Run()
    {
        var until = new Option<string>("--until") { Description = "Advance the simulated clock to this day (00:00 UTC) or instant", HelpName = "DATE", Required = true };
        var from = new Option<string?>("--from") { Description = "Where the clock starts if this data folder has none yet [default: the earliest day a case can start]", HelpName = "DATE" };
        var command = new Command("run", "Advance the data folder's simulated clock to DATE, running every daily scan and every step that falls due on the way, in order. " +
            "Safe to kill and run again: it resumes where it stopped and nothing is sent twice.")
        {
            until,
            from,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommandLine.DataFolder(parse);
            using var hold = Hold(parse, "run");
            var start = StartOf(data, parse.GetValue(from));
            var to = CommandLine.Instant(parse.GetValue(until)!, "--until", TimeOnly.MinValue);
            if (to < start)
            {
                throw new CliException($"--until: the clock is already at {start:yyyy-MM-dd HH:mm} UTC; it only moves forward.");
            }

            var app = OpenToContact(parse, new SimulatedClock(start));
            var result = await WithProgressAsync($"Running {start:yyyy-MM-dd} → {to:yyyy-MM-dd}", start, to, progress => app.Driver!.AdvanceAsync(to, progress: progress, ct: ct));
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Clock at {0:yyyy-MM-dd HH:mm} UTC: {1} scan(s) started {2} case(s); {3} transition(s), {4} effect(s), {5} signal(s).",
                result.To, result.Scans, result.CasesStarted, result.Run.Transitions, result.Run.Effects, result.Run.Signals);
            if (app.Delivery is { } delivery)
            {
                var mail = await delivery.DeliverDueAsync(ct);
                AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Mail through {0}: {1} sent, {2} waiting to retry, {3} parked ('dunning mail status').",
                    Markup.Escape(delivery.Settings.ToString()), mail.Sent, mail.Retrying, mail.Parked);
            }

            await Views.CasesByStatusAsync(app, ct);
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Serve()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (loopback by default; anywhere else needs Dunning__AdminKey)", HelpName = "URL", DefaultValueFactory = _ => WebHost.DefaultUrls };
        var simulated = new Option<string?>("--simulated-clock")
        {
            Description = "Run on a simulated clock, moved by POST /api/clock/advance: from where this data folder's clock was left, else from START " +
                "(a later START moves it forward). A folder left on a simulated clock (demo, run --until) is only served this way",
            HelpName = "START",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("serve", "Run the local host: HTTP API under /api, dashboard at /, OpenAPI at /openapi/v1.json, the daily scan on schedule and the runner; email through <data>/mail.json when present (dunning mail setup). " +
            "Refuses to start while the business profile holds placeholders (dunning init). " +
            "Secrets come from the environment: Dunning__AdminKey, Dunning__Webhooks__StripeSecret, Dunning__Webhooks__GenericSecret. Ctrl+C stops cleanly.")
        {
            urls,
            simulated,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommandLine.DataFolder(parse);
            using var hold = Hold(parse, "serve");
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(data, "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            var scanAt = WebHost.ScanAt(configuration[$"{LocalSettings.Section}:ScanAt"]);
            if (SiteGuard.ExposureProblem(parse.GetValue(urls)!, configuration[$"{LocalSettings.Section}:AdminKey"]) is { } exposed)
            {
                throw new CliException(exposed);
            }

            var clock = ServeClock(
                LocalApp.ClockOf(data) is SimulatedClock kept ? kept.Now : null,
                parse.GetResult(simulated) is not null,
                parse.GetValue(simulated) is { } startText ? CommandLine.Instant(startText, "--simulated-clock", TimeOnly.MinValue) : null);

            using var logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var app = LocalApp.Open(data, CommandLine.RequireRealProfile(CommandLine.Policy(parse, data)), clock, logs, scanAt, mail: CommandLine.Mail(data));
            if (app.Driver is { } driver)
            {
                ClockDriver.Store(app.Database, driver.Clock.Now);
            }

            var web = WebHost.Create(app, parse.GetValue(urls)!);
            await web.StartAsync(ct);
            using var stopMail = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var mailLoop = app.Delivery is { } delivery
                ? Hosting.MailService.RunAsync(delivery, logs.CreateLogger<Mail.SmtpDelivery>(), stopMail.Token)
                : Task.CompletedTask;
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "dunning is serving [bold]{0}[/] from {1}", Markup.Escape(string.Join(", ", web.Urls)), Markup.Escape(data));
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Mail: {(app.Delivery is { } smtp ? smtp.Settings.ToString() : $".eml files in {app.OutboxFolder} (no {Mail.MailSettings.FileName})")}");
            AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "Clock: {0}. Daily scan at {1:HH:mm} UTC. Ctrl+C stops.",
                app.Driver is { } d ? $"simulated, at {d.Clock.Now:yyyy-MM-dd HH:mm} UTC (POST /api/clock/advance)" : "real time", scanAt);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: stop the host cleanly below.
            }

            await stopMail.CancelAsync();
            await mailLoop;
            await web.StopAsync(CancellationToken.None);
            await web.DisposeAsync();
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Cases()
    {
        var status = new Option<string?>("--status") { Description = "Only cases with this status", HelpName = "S" };
        status.AcceptOnlyFromAmong([.. CaseStatus.Statuses]);
        var command = new Command("cases", "List cases with status, stage, balance and next action time.") { status };
        command.SetAction(async (parse, ct) =>
        {
            var app = Open(parse);
            Views.CaseTable(await app.Cases.ListAsync(parse.GetValue(status), ct));
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Case()
    {
        var id = new Argument<string>("ID") { Description = "The invoice id of the case" };
        var command = new Command("case", "Show one case: status, balance, plan, dispute, outcome and its whole timeline.") { id };
        command.SetAction(async (parse, ct) =>
        {
            var app = Open(parse);
            var text = parse.GetValue(id)!;
            if (!InvoiceId.TryParse(text, out var invoiceId) || await app.Cases.GetAsync(invoiceId, ct) is not { } record)
            {
                throw new CliException($"There is no case for invoice '{text}'.");
            }

            Views.CaseDetail(app, CaseView.Of(record, app.Runner.Signals(invoiceId).Select(n => n.ToEntry())));
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command CallTasks()
    {
        var show = new Option<string>("--show")
        {
            Description = "to-make: calls a person should still make (not on paused, disputed, planned or ended cases); logged: calls made, with how they went; all",
            HelpName = "WHICH",
            DefaultValueFactory = _ => "to-make",
        };
        show.AcceptOnlyFromAmong("to-make", "logged", "all");
        var command = new Command(
            "calltasks",
            "List the phone calls for a person to make, with their scripts. Log how a call went with POST /api/calltasks/{invoice}/{step} or the dashboard.")
        {
            show,
        };
        command.SetAction(async (parse, ct) =>
        {
            var app = Open(parse);
            _ = CallTaskList.TryParse(parse.GetValue(show)!, out var filter);
            Views.CallTaskTable(await app.Calls.ListAsync(filter, ct), full: true);
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Aging()
    {
        var asOf = new Option<string?>("--as-of") { Description = "Age as on this day [default: today on the data folder's clock]", HelpName = "DATE" };
        var format = new Option<string>("--format") { Description = "table, csv or json", HelpName = "FORMAT", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("aging", "The aging report of all past-due accounts (current, 1-30, 31-60, 61-90, 90+) by customer.") { asOf, format };
        command.SetAction(async (parse, ct) =>
        {
            var app = Open(parse);
            var day = parse.GetValue(asOf) is { } text ? CommandLine.Day(text, "--as-of") : DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
            var report = await app.Aging.AgingAsync(day, ct);
            Console.Out.Write(parse.GetValue(format) switch
            {
                "csv" => report.ToCsv(),
                "json" => DunningJson.Serialize(report, indented: true) + "\n",
                _ => report.ToTable(),
            });
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Learn()
    {
        var within = new Option<int>("--within")
        {
            Description = $"A step converts when its case is paid in full within DAYS of it (1-{LearningReport.MaxWithinDays})",
            HelpName = "DAYS",
            DefaultValueFactory = _ => LearningReport.DefaultWithinDays,
        };
        var format = new Option<string>("--format") { Description = "text or json", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("learn", "Learn from past cases: which ladder step converts (share of cases paid in full within DAYS of it; " +
            "steps sent less than DAYS ago are left out as too recent to tell), days to pay by customer, and recovery by outcome per currency.") { within, format };
        command.SetAction(async (parse, ct) =>
        {
            var days = parse.GetValue(within);
            if (days is < 1 or > LearningReport.MaxWithinDays)
            {
                throw new CliException($"--within: {days} is not a number of days from 1 to {LearningReport.MaxWithinDays}.");
            }

            var report = await Open(parse).Reports.LearningAsync(days, ct);
            Console.Out.Write(parse.GetValue(format) == "json" ? DunningJson.Serialize(report, indented: true) + "\n" : report.ToText());
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Digest()
    {
        var since = new Option<string?>("--since") { Description = "From this day (00:00 UTC) or instant [default: 24 hours before now on the data folder's clock]", HelpName = "DATE" };
        var format = new Option<string>("--format") { Description = "text or json", HelpName = "FORMAT", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("digest", "The digest for the business: what was sent since DATE, and what needs a person: new call tasks whose case still wants the call, " +
            "open disputes, cases newly flagged for small claims or a collection agency.") { since, format };
        command.SetAction(async (parse, ct) =>
        {
            var app = Open(parse);
            DateTimeOffset? from = parse.GetValue(since) is { } text ? CommandLine.Instant(text, "--since", TimeOnly.MinValue) : null;
            var digest = await app.Reports.DigestAsync(from, ct);
            Console.Out.Write(parse.GetValue(format) == "json" ? DunningJson.Serialize(digest, indented: true) + "\n" : digest.ToText());
            return CommandLine.Ok;
        });
        return command;
    }

    public static Command Simulate()
    {
        var customers = new Option<string>("--customers") { Description = "customers.csv", HelpName = "FILE", Required = true };
        var invoices = new Option<string>("--invoices") { Description = "invoices.csv", HelpName = "FILE", Required = true };
        var model = new Option<string>("--payment-model") { Description = "How simulated customers answer: typical, prompt, slow or silent", HelpName = "MODEL", DefaultValueFactory = _ => "typical" };
        model.AcceptOnlyFromAmong([.. PaymentModel.All.Select(m => m.Name)]);
        var until = new Option<string?>("--until") { Description = "Simulate up to this day [default: 180 days after the last due date]", HelpName = "DATE" };
        var seed = new Option<int>("--seed") { Description = "Random seed, for repeatable runs", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "What-if: run a policy (--policy) over a ledger on a simulated clock, without sending anything, and report projected outcomes, " +
            "money recovered, messages and which step converts.")
        {
            customers,
            invoices,
            model,
            until,
            seed,
        };
        command.SetAction((parse, ct) =>
        {
            var policy = CommandLine.Policy(parse, CommandLine.DataFolder(parse));
            var customersFile = parse.GetValue(customers)!;
            var invoicesFile = parse.GetValue(invoices)!;
            ImportResult<Dunning.Customers.Customer> parsedCustomers;
            using (var reader = Reader(customersFile)!)
            {
                parsedCustomers = LedgerCsv.ParseCustomers(Path.GetFileName(customersFile), reader);
            }

            // The invoices are read twice and never held: once to check all of them (and find the last due date), once
            // to simulate each as it is read. Memory grows with the customers, not the invoices.
            var known = parsedCustomers.Rows.Select(c => c.Id).ToHashSet();
            IEnumerable<Dunning.Invoices.Invoice> Owing(List<ImportError> problems)
            {
                using var reader = Reader(invoicesFile)!;
                foreach (var invoice in LedgerCsv.StreamInvoices(Path.GetFileName(invoicesFile), reader, known, problems))
                {
                    if (invoice.Outstanding.IsPositive)
                    {
                        yield return invoice;
                    }
                }
            }

            var invoiceErrors = new List<ImportError>();
            var (owing, lastDue) = (0, DateOnly.MinValue);
            foreach (var invoice in Owing(invoiceErrors))
            {
                (owing, lastDue) = (owing + 1, invoice.DueDate > lastDue ? invoice.DueDate : lastDue);
            }

            var errors = parsedCustomers.Errors.Concat(invoiceErrors).Select(e => e.ToString()).ToList();
            if (errors.Count > 0)
            {
                throw new CliException($"The ledger has {errors.Count} problem(s); nothing was simulated.", errors);
            }

            if (owing == 0)
            {
                throw new CliException("No invoice in the ledger has anything outstanding: nothing to simulate.");
            }

            var payer = PaymentModel.Named(parse.GetValue(model)!)!;
            var byId = parsedCustomers.Rows.ToDictionary(c => c.Id);
            var cases = Owing([])
                .Select(i => new SimulatedCase(
                    CaseState.Open(i, byId[i.CustomerId], policy, JurisdictionCatalog.Default.For(byId[i.CustomerId].Jurisdiction),
                        new DateTimeOffset(policy.CaseStartDate(i.DueDate).ToDateTime(LocalApp.DefaultScanAt), TimeSpan.Zero)),
                    ValueList<CaseEvent>.Empty,
                    payer));
            var end = parse.GetValue(until) is { } text
                ? CommandLine.Instant(text, "--until", TimeOnly.MinValue)
                : new DateTimeOffset(lastDue.AddDays(180).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var report = CaseSimulator.Run(cases, end, parse.GetValue(seed));
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[bold]What-if[/]: {report.Cases} case(s), payment model '{payer.Name}', until {end:yyyy-MM-dd}");
            Console.Out.Write(report.ToText());
            return Task.FromResult(CommandLine.Ok);
        });
        return command;
    }

    /// <summary>
    /// The clock <c>serve</c> runs on. A folder left on a simulated clock is served on it (resumed where it was, or moved
    /// forward to a later START), never on real time: jumping to today would run months of steps at once and flag every case.
    /// </summary>
    internal static TimeProvider ServeClock(DateTimeOffset? stored, bool simulated, DateTimeOffset? start)
    {
        switch (stored, simulated, start)
        {
            case (null, false, _):
                return TimeProvider.System;
            case ({ } at, false, _):
                throw new CliException(
                    string.Create(CultureInfo.InvariantCulture, $"This data folder runs on a simulated clock, left at {at:yyyy-MM-dd HH:mm} UTC (by demo or run --until). ") +
                    "Serve it with --simulated-clock to resume that clock, or keep moving it with run --until; it cannot jump to real time.");
            case (null, true, null):
                throw new CliException("--simulated-clock: this data folder has no simulated clock yet; say where it starts: --simulated-clock START (YYYY-MM-DD).");
            case (null, true, { } from):
                return new SimulatedClock(from);
            case ({ } at, true, var from):
                return new SimulatedClock(from > at ? from.Value : at);
        }
    }

    /// <summary>Takes the data folder for a command that writes to it, for as long as the command runs (<see cref="FolderLock"/>).</summary>
    private static FolderLock Hold(ParseResult parse, string command) => FolderLock.Acquire(CommandLine.DataFolder(parse), command);

    /// <summary>Opens the data folder on its own clock (simulated if it was left on one), or on <paramref name="clock"/>.</summary>
    internal static LocalApp Open(ParseResult parse, TimeProvider? clock = null) => Open(parse, clock, contacting: false);

    /// <summary>As <see cref="Open(ParseResult, TimeProvider?)"/>, for a command that may contact customers: refused on a placeholder profile.</summary>
    internal static LocalApp OpenToContact(ParseResult parse, TimeProvider? clock = null) => Open(parse, clock, contacting: true);

    private static LocalApp Open(ParseResult parse, TimeProvider? clock, bool contacting)
    {
        var data = CommandLine.DataFolder(parse);
        var policy = CommandLine.Policy(parse, data);
        return LocalApp.Open(data, contacting ? CommandLine.RequireRealProfile(policy) : policy, clock ?? LocalApp.ClockOf(data), CliLogs.Factory, mail: CommandLine.Mail(data));
    }

    /// <summary>Where <c>run</c> starts: the folder's simulated clock, else --from, else the earliest day a pending invoice's case can start.</summary>
    private static DateTimeOffset StartOf(string data, string? from)
    {
        if (LocalApp.ClockOf(data) is SimulatedClock kept)
        {
            return kept.Now;
        }

        if (from is not null)
        {
            return CommandLine.Instant(from, "--from", TimeOnly.MinValue);
        }

        var probe = LocalApp.Open(data, clock: TimeProvider.System);
        var earliest = probe.Ledger.PendingAsync(DateOnly.MaxValue, CancellationToken.None).GetAwaiter().GetResult()
            .Select(i => probe.Policy.CaseStartDate(i.DueDate))
            .DefaultIfEmpty(DateOnly.FromDateTime(DateTime.UtcNow))
            .Min();
        return new DateTimeOffset(earliest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    private static StreamReader? Reader(string? file)
    {
        if (file is null)
        {
            return null;
        }

        return File.Exists(file) ? new StreamReader(file) : throw new CliException($"No file at {file}.");
    }

    /// <summary>Runs clock-driven work with a progress bar over its days (plain lines when the output is not a terminal).</summary>
    internal static async Task<T> WithProgressAsync<T>(string title, DateTimeOffset from, DateTimeOffset to, Func<IProgress<DateTimeOffset>, Task<T>> work)
    {
        var days = Math.Max(1, (to - from).TotalDays);
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: days);
                result = await work(new Progress<DateTimeOffset>(at => task.Value = Math.Min(days, (at - from).TotalDays)));
                task.Value = days;
            });
        return result;
    }
}
