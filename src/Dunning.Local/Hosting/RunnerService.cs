namespace Dunning.Local.Hosting;

/// <summary>
/// Runs the case runner inside <c>serve</c>: whatever is due now, then sleeps until the earliest wake-up or a
/// signal (a webhook, a staff command, a new case), whichever comes first. It also looks every minute, for
/// work another process (a CLI command on the same data folder) left. On a simulated clock it only reacts to
/// signals: time moves through POST /api/clock/advance.
/// </summary>
public sealed class RunnerService(LocalApp app, ILogger<RunnerService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Poll;
            try
            {
                var now = app.Clock.GetUtcNow();
                await app.Runner.RunDueAsync(now, stoppingToken);
                if (app.Driver is null && app.Runner.NextWakeAt() is { } next)
                {
                    var until = next - app.Clock.GetUtcNow();
                    delay = until < TimeSpan.Zero ? TimeSpan.Zero : until < Poll ? until : Poll;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.RunnerLoopFailed(e);
                delay = TimeSpan.FromSeconds(5);
            }

            try
            {
                await app.Runner.WaitAsync(delay + TimeSpan.FromMilliseconds(10), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
