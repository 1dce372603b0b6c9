using Dunning.Cases;
using Dunning.Common;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests;

/// <summary>Issue 9, item 15: an accepted request the case refuses in its turn is not lost from sight.</summary>
public class QueuedSignalTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Due = new(2026, 3, 2);

    [Fact]
    public async Task A_request_the_case_refuses_in_its_turn_is_answered_with_why_and_stands_in_the_timeline()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));
        var pause = await host.PostAsync("/api/cases/INV-1/pause", """{"reason":"customer on holiday"}""");
        Assert.True(pause.Code == 202, pause.ToString());

        // Another person's resume is queued and not yet applied when this one is checked: both pass the check.
        await host.App.Workflows.SignalAsync(new InvoiceId("INV-1"), new CaseEvent.Resumed(Start.AddMinutes(1)), CancellationToken.None);
        var resume = await host.PostAsync("/api/cases/INV-1/resume");

        Assert.True(resume.Code == 409 && resume.IsProblem, resume.ToString());
        Assert.Contains("not paused", resume.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/api/cases/INV-1", resume.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var timeline = (await host.CaseAsync("INV-1"))["timeline"]!.AsArray();
        var refused = Assert.Single(timeline, e => e!["refused"] is not null);
        Assert.StartsWith("Refused: ", refused!["what"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("not paused", refused["refused"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accepted_request_says_what_became_of_it_and_where_to_see_it()
    {
        await using var host = await LoopbackHost.StartAsync(Start);
        await host.ImportAndScanAsync(Sample.InvoiceJson("INV-1", "C1", Due, 1_200m));

        var pause = await host.PostAsync("/api/cases/INV-1/pause", """{"reason":"customer on holiday"}""");

        Assert.Equal(202, pause.Code);
        Assert.Equal("applied", pause.Body["outcome"]!.GetValue<string>());
        Assert.Equal("/api/cases/INV-1", pause.Body["location"]!.GetValue<string>());
    }
}
