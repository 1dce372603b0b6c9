using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Dunning.Functions.Triggers;

/// <summary>
/// The daily scan on a schedule: the NCRONTAB expression (6 fields, UTC) in the app setting Dunning__ScanSchedule
/// (infra default "0 0 6 * * *"). It runs the core's <see cref="UseCases.DailyScan"/>, which starts one orchestration
/// per newly overdue invoice; starting is idempotent, so a repeated or late run starts nothing twice.
/// </summary>
public sealed class DailyScanFunction(DunningApp app, ILogger<DailyScanFunction> logger)
{
    [Function("DailyScan")]
    public async Task Run([TimerTrigger("%Dunning:ScanSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext executionContext)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(executionContext);
        if (app.Placeholders.Count > 0)
        {
            logger.LogError(
                "Daily scan skipped: the business profile still has sample placeholders ({Fields}); set business.* in Dunning__PolicyJson. Nobody is contacted until then.",
                string.Join(", ", app.Placeholders));
            return;
        }

        var now = app.Time.GetUtcNow();
        var result = await app.Scan(client).RunAsync(now, executionContext.CancellationToken);
        logger.LogInformation(
            "Daily scan at {Now:O} (past due: {PastDue}): {Started} started, {Running} already running, {NothingOwed} with nothing owed, {Problems} problem(s): {Details}",
            now, timer.IsPastDue, result.Started, result.AlreadyRunning, result.NothingOwed, result.Problems.Count, string.Join(" ", result.Problems));
    }
}
