using System.Globalization;
using Dunning.Api;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Ports;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>How cases, call tasks and summaries look on a terminal.</summary>
internal static class Views
{
    public static void CaseTable(IReadOnlyList<CaseStatus> cases)
    {
        if (cases.Count == 0)
        {
            AnsiConsole.WriteLine("No cases.");
            return;
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Invoice", "Customer", "Status", "Stage", "Balance", "Next action (UTC)", "Waiting for");
        table.Columns[4].RightAligned();
        foreach (var c in cases)
        {
            table.AddRow(
                Markup.Escape(c.InvoiceId.Value),
                Markup.Escape(c.CustomerName),
                StatusMarkup(c.Status),
                Markup.Escape(c.Stage),
                Markup.Escape(Currencies.Format(c.Balance)),
                c.NextActionAt is { } at ? at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-",
                Markup.Escape(c.Waiting));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} case(s)."));
    }

    public static void CaseDetail(LocalApp app, CaseView view)
    {
        var s = view.Status;
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow($"[grey]{name}[/]", value);
        Row("Invoice", Markup.Escape($"{s.InvoiceId} (number {view.InvoiceNumber}, due {view.DueDate:yyyy-MM-dd}, amount {Currencies.Format(view.Amount)})"));
        Row("Customer", Markup.Escape($"{s.CustomerName} ({s.CustomerId}), {view.Jurisdiction}, {Names(view.CustomerKind)}"));
        Row("Status", $"{StatusMarkup(s.Status)} — stage {Markup.Escape(s.Stage)}");
        Row("Balance", $"[bold]{Markup.Escape(Currencies.Format(s.Balance))}[/] (principal {Markup.Escape(Currencies.Format(view.Principal))}, paid {Markup.Escape(Currencies.Format(view.Paid))}, credited {Markup.Escape(Currencies.Format(view.Credited))})");
        foreach (var charge in view.Charges)
        {
            Row("Charge", Markup.Escape($"{charge.Description}: {Currencies.Format(charge.Amount)}"));
        }

        Row("Next", Markup.Escape(s.NextActionAt is { } next ? $"{next:yyyy-MM-dd HH:mm} UTC: {s.Waiting}" : s.Waiting));
        if (view.Plan is { } plan)
        {
            Row("Plan", Markup.Escape(string.Join("; ", plan.Plan.Installments.Select(i => $"#{i.Number} {Currencies.Format(i.Amount)} due {i.DueDate:yyyy-MM-dd}"))
                + (plan.Missed.Count > 0 ? $" (missed: {string.Join(", ", plan.Missed)})" : string.Empty)));
        }

        if (view.Dispute is { } dispute)
        {
            Row("Dispute", Markup.Escape($"since {dispute.OpenedAt:yyyy-MM-dd}: {dispute.Reason}"));
        }

        if (view.Outcome is { } outcome)
        {
            Row("Outcome", Markup.Escape($"{Cases.Names.Of(outcome.Kind)} on {outcome.At:yyyy-MM-dd}: {outcome.Reason}"));
            if (view.Timeline.Select(t => t.Event).OfType<CaseEvent.CaseFlagged>().LastOrDefault() is { } flagged)
            {
                Row("Evidence", Markup.Escape(app.Documents.FullPath(flagged.EvidenceLocation)));
            }
        }

        AnsiConsole.Write(grid);
        AnsiConsole.WriteLine();
        var timeline = new Table().Border(TableBorder.Simple).AddColumns("When (UTC)", "What");
        foreach (var entry in view.Timeline)
        {
            timeline.AddRow(entry.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(entry.What));
        }

        AnsiConsole.Write(timeline);
        var refused = (view.Signals ?? ValueList<SignalEntry>.Empty).Where(n => n.Outcome is not ("applied" or "pending")).ToList();
        foreach (var note in refused)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{note.ReceivedAt:yyyy-MM-dd HH:mm} not applied ({note.Outcome}): {note.What}: {note.Note}[/]");
        }
    }

    public static void CallTaskTable(IReadOnlyList<CallTask> tasks, bool full)
    {
        if (tasks.Count == 0)
        {
            AnsiConsole.WriteLine("No call tasks.");
            return;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("Created (UTC)", "Task", "Call", "Phone", "Logged", full ? "Script" : "Opening line");
        foreach (var t in tasks)
        {
            var script = full ? t.Script : t.Script.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
            var logged = t.Logged is { } log
                ? string.Create(CultureInfo.InvariantCulture, $"{log.At:yyyy-MM-dd HH:mm} {Cases.Names.Of(log.Outcome)}{(log.Note is null ? string.Empty : ": " + log.Note)}")
                : string.Empty;
            table.AddRow(
                t.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                Markup.Escape(t.Key),
                Markup.Escape(t.Who),
                Markup.Escape(t.Phone),
                Markup.Escape(logged),
                Markup.Escape(script));
        }

        AnsiConsole.Write(table);
    }

    public static async Task CasesByStatusAsync(LocalApp app, CancellationToken ct)
    {
        var cases = await app.Cases.ListAsync(null, ct);
        var line = string.Join(", ", CaseStatus.Statuses
            .Select(s => (Status: s, Count: cases.Count(c => c.Status == s)))
            .Where(x => x.Count > 0)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Count} {x.Status}")));
        AnsiConsole.WriteLine(cases.Count == 0 ? "No cases yet." : string.Create(CultureInfo.InvariantCulture, $"{cases.Count} case(s): {line}."));
    }

    public static string StatusMarkup(string status) => status switch
    {
        "open" => "[blue]open[/]",
        "plan" => "[teal]plan[/]",
        "dispute" => "[yellow]dispute[/]",
        "paused" => "[grey]paused[/]",
        "flagged" => "[red]flagged[/]",
        "closed" => "[green]closed[/]",
        _ => Markup.Escape(status),
    };

    private static string Names(Customers.CustomerKind kind) => kind == Customers.CustomerKind.Business ? "business" : "consumer";
}
