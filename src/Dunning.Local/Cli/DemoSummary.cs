using System.Globalization;
using Dunning.Cases;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Local.Runner;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>The demo's closing summary: what happened, how each case ended, money, messages, and what needs a person.</summary>
internal static class DemoSummary
{
    public static async Task PrintAsync(LocalApp app, IReadOnlyList<Demo.StoryLine> story, AdvanceResult run, TimeSpan elapsed, CancellationToken ct)
    {
        var states = (await app.Cases.AllAsync(ct)).Select(r => r.State).ToList();
        var callTasks = await app.Cases.CallTasksAsync(ct);
        var review = await app.Inbox.ReviewAsync(ct);
        var inv = CultureInfo.InvariantCulture;

        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Rule("[bold]What the customers and the staff did[/]").LeftJustified());
        var events = new Table().Border(TableBorder.Simple).AddColumns("Day", "Customer", "What", "Answer");
        foreach (var line in story.OrderBy(l => l.At))
        {
            events.AddRow(line.At.ToString("yyyy-MM-dd", inv), Markup.Escape(line.Customer), Markup.Escape(line.What), Markup.Escape(line.Answer));
        }

        AnsiConsole.Write(events);

        AnsiConsole.Write(new Rule("[bold]Cases by outcome[/]").LeftJustified());
        var outcomes = new Table().Border(TableBorder.Simple).AddColumns("Outcome", "Cases", "Invoices");
        foreach (var group in states.GroupBy(Outcome).OrderBy(g => Order(g.Key)))
        {
            outcomes.AddRow(Markup.Escape(group.Key), group.Count().ToString(inv), Markup.Escape(string.Join(", ", group.Select(s => s.InvoiceId.Value))));
        }

        AnsiConsole.Write(outcomes);

        AnsiConsole.Write(new Rule("[bold]Money, per currency[/]").LeftJustified());
        var money = new Table().Border(TableBorder.Simple).AddColumns("Currency", "Owed when cases opened", "Recovered", "Credited", "Flagged for court or agency", "Written off");
        foreach (var group in states.GroupBy(s => s.Currency).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Money Sum(IEnumerable<Money> amounts) => Money.Sum(amounts, group.Key);
            money.AddRow(
                group.Key,
                Format(Sum(group.Select(s => s.OwedAtOpen))),
                Format(Sum(group.Select(s => s.Recovered))),
                Format(Sum(group.Select(s => s.Credited))),
                Format(Sum(group.Where(s => s.Outcome?.IsFlag == true).Select(s => s.StillOwed))),
                Format(Sum(group.Where(s => s.Outcome?.Kind == OutcomeKind.WrittenOff).Select(s => s.StillOwed))));
        }

        foreach (var column in money.Columns.Skip(1))
        {
            column.RightAligned();
        }

        AnsiConsole.Write(money);

        AnsiConsole.Write(new Rule("[bold]Messages[/]").LeftJustified());
        var contacts = states.SelectMany(s => s.Contacts).ToList();
        var messages = new Table().Border(TableBorder.Simple).AddColumns("Channel", "Sent", "Where");
        messages.AddRow("email", contacts.Count(c => c.Channel == Channel.Email).ToString(inv),
            Markup.Escape($"{Directory.EnumerateFiles(app.OutboxFolder, "*.eml").Count()} .eml files in {app.OutboxFolder}"));
        messages.AddRow("letter", contacts.Count(c => c.Channel == Channel.Letter).ToString(inv),
            Markup.Escape($"{Directory.EnumerateFiles(app.Documents.Letters, "*.pdf", SearchOption.AllDirectories).Count()} letters to post (PDF) in {app.Documents.Letters}"));
        messages.AddRow("call", contacts.Count(c => c.Channel == Channel.Call).ToString(inv),
            Markup.Escape($"{callTasks.Count} call tasks with scripts: dunning --data {app.DataFolder} calltasks"));
        AnsiConsole.Write(messages);

        if (callTasks.Count > 0)
        {
            AnsiConsole.Write(new Rule("[bold]Call tasks for a person[/]").LeftJustified());
            Views.CallTaskTable(callTasks, full: false);
        }

        var flagged = states.Where(s => s.Outcome?.IsFlag == true || s.Outcome?.PreviouslyFlaggedAs is not null || s.Outcome?.Kind == OutcomeKind.WrittenOff).ToList();
        if (flagged.Count > 0)
        {
            AnsiConsole.Write(new Rule("[bold]Flagged cases: the business decides[/]").LeftJustified());
            var table = new Table().Border(TableBorder.Simple).AddColumns("Invoice", "Customer", "Where", "Recommendation", "Claim", "Evidence");
            foreach (var s in flagged)
            {
                var flag = s.History.OfType<CaseEvent.CaseFlagged>().LastOrDefault();
                var outcome = s.Outcome!;
                var recommendation = outcome.PreviouslyFlaggedAs is { } before
                    ? $"{Names.Of(outcome.Kind)} (was {Names.Of(before)}: paid after the flag)"
                    : Names.Of(outcome.Kind);
                table.AddRow(
                    Markup.Escape(s.InvoiceId.Value),
                    Markup.Escape(s.Customer.Name),
                    Markup.Escape($"{s.Customer.Jurisdiction} {(s.Customer.Kind == CustomerKind.Business ? "business" : "consumer")}"),
                    Markup.Escape(recommendation + (outcome.Recommendation?.Court is { } court && outcome.IsFlag ? $" ({court})" : string.Empty)),
                    Markup.Escape(outcome.Recommendation is { } r ? Currencies.Format(r.Claim) : Currencies.Format(s.Balance)),
                    Markup.Escape(flag is null ? "-" : app.Documents.FullPath(flag.EvidenceLocation)));
            }

            AnsiConsole.Write(table);
        }

        if (review.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(inv, $"[yellow]{review.Count} webhook delivery(ies) matched no invoice and wait for review[/] (GET /api/webhooks/review): {string.Join("; ", review.Select(r => r.Reason))}");
        }

        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLineInterpolated(inv,
            $"[bold green]Done[/] in {elapsed.TotalSeconds:0.0} s: {run.Scans} daily scans, {run.CasesStarted} cases, {run.Run.Transitions} transitions, {run.Run.Effects} effects.");
        AnsiConsole.MarkupLineInterpolated(inv, $"Look around:  dunning --data {app.DataFolder} cases   |   case INV-1005   |   aging");
        AnsiConsole.MarkupLineInterpolated(inv, $"Or serve it:  dunning --data {app.DataFolder} serve --simulated-clock   (dashboard at {Api.WebHost.DefaultUrls})");
    }

    private static string Outcome(CaseState s) =>
        s.Outcome is { } o ? Names.Of(o.Kind) : CaseStatus.StatusOf(s) is "open" ? "still open" : $"still open ({CaseStatus.StatusOf(s)})";

    private static int Order(string outcome) => outcome switch
    {
        "paid" => 0,
        "settled" => 1,
        "credited" => 2,
        "small-claims" => 3,
        "collection-agency" => 4,
        "written-off" => 5,
        "voided" => 6,
        _ => 7,
    };

    private static string Format(Money money) => Currencies.Format(money);
}
