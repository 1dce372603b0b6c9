using System.Globalization;
using Dunning.Local.Storage;
using Dunning.UseCases;

namespace Dunning.Local.Runner;

/// <summary>Something scripted to happen at a simulated instant (the demo's payments, plans and disputes).</summary>
public sealed record Appointment(DateTimeOffset At, string What, Func<CancellationToken, Task> Run);

/// <summary>What advancing the clock did.</summary>
public sealed record AdvanceResult(DateTimeOffset From, DateTimeOffset To, int Scans, int CasesStarted, RunStats Run);

/// <summary>
/// Moves a simulated clock forward the way real time would pass: the daily scan at its UTC time each day,
/// every case's wake-up in order, and scripted appointments, each run by the same runner and use cases as
/// <c>serve</c>. The clock and the last scan day are kept in the data folder before anything runs at a new
/// instant, so a killed <c>run --until</c> resumes exactly where it stopped.
/// </summary>
public sealed class ClockDriver(Database db, SimulatedClock clock, DailyScan scan, CaseRunner runner, TimeOnly scanAt, ILogger<ClockDriver> logger)
{
    public const string ClockKey = "simulated_clock";
    public const string LastScanKey = "last_scan";

    public SimulatedClock Clock => clock;

    /// <summary>The simulated time a data folder was left at, if it runs on one.</summary>
    public static DateTimeOffset? StoredTime(Database db) =>
        db.GetMeta(ClockKey) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    /// <summary>Keeps <paramref name="at"/> as the folder's clock unless it already stands later: the stored clock never goes back.</summary>
    public static void Store(Database db, DateTimeOffset at) =>
        db.Write((c, t) => Sql.Execute(c, t, """
            INSERT INTO meta (key, value) VALUES ($key, $value)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE excluded.value > meta.value
            """,
            ("$key", ClockKey), ("$value", at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))));

    // One advance at a time: two interleaved advances would each run the scans and wake-ups of their own stretch of
    // time, recording contacts out of order and leaving the clock wherever the slower one stopped.
    private readonly SemaphoreSlim advancing = new(1, 1);

    public Task<AdvanceResult> AdvanceAsync(
        DateTimeOffset to, IEnumerable<Appointment>? agenda = null, IProgress<DateTimeOffset>? progress = null, CancellationToken ct = default) =>
        AdvanceAsync(_ => to, agenda, progress, ct);

    /// <summary>
    /// Moves the clock to <paramref name="target"/> of the time it stands at once this advance's turn comes (so sixteen
    /// concurrent "one more day" requests make sixteen days). <paramref name="target"/> may throw to refuse.
    /// </summary>
    public async Task<AdvanceResult> AdvanceAsync(
        Func<DateTimeOffset, DateTimeOffset> target, IEnumerable<Appointment>? agenda = null, IProgress<DateTimeOffset>? progress = null, CancellationToken ct = default)
    {
        await advancing.WaitAsync(ct);
        try
        {
            var from = clock.Now;
            return await AdvanceFromAsync(from, target(from), agenda, progress, ct);
        }
        finally
        {
            advancing.Release();
        }
    }

    private async Task<AdvanceResult> AdvanceFromAsync(
        DateTimeOffset from, DateTimeOffset to, IEnumerable<Appointment>? agenda, IProgress<DateTimeOffset>? progress, CancellationToken ct)
    {
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The clock is already at {from:yyyy-MM-dd HH:mm} UTC; it only moves forward.");
        }

        var queue = new Queue<Appointment>((agenda ?? []).Where(a => a.At <= to).OrderBy(a => a.At));
        int scans = 0, started = 0;
        Store(db, from);
        var run = await runner.RunDueAsync(from, ct);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var now = clock.Now;
            var nextScan = NextScan(now);
            var nextWake = NextWakeAfter(now);
            var nextAppointment = queue.TryPeek(out var a) ? Max(a.At, now) : (DateTimeOffset?)null;
            var t = Min(Min(nextScan, nextWake), nextAppointment);
            if (t is not { } at || at > to)
            {
                break;
            }

            if (at > now)
            {
                Store(db, at);
                clock.Now = at;
                progress?.Report(at);
            }

            if (at >= nextScan)
            {
                var result = await scan.RunAsync(at, ct);
                db.SetMeta(LastScanKey, Day(at));
                logger.Scanned(at, result.Started, result.AlreadyRunning, result.NothingOwed);
                foreach (var problem in result.Problems)
                {
                    logger.ScanProblem(problem);
                }

                (scans, started) = (scans + 1, started + result.Started);
            }

            while (queue.TryPeek(out var due) && due.At <= at)
            {
                queue.Dequeue();
                await due.Run(ct);
            }

            run += await runner.RunDueAsync(at, ct);
        }

        Store(db, to);
        clock.Now = to;
        run += await runner.RunDueAsync(to, ct);
        progress?.Report(to);
        return new AdvanceResult(from, to, scans, started, run);
    }

    /// <summary>The next daily scan: the day after the last one at the scan time, or now if that has passed.</summary>
    private DateTimeOffset NextScan(DateTimeOffset now)
    {
        var day = db.GetMeta(LastScanKey) is { } last
            ? DateOnly.ParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(1)
            : DateOnly.FromDateTime(now.UtcDateTime);
        var at = new DateTimeOffset(day.ToDateTime(scanAt), TimeSpan.Zero);
        return Max(at, now);
    }

    /// <summary>Wake-ups still at or before <paramref name="now"/> after a run are cases that failed: they wait for the next instant.</summary>
    private DateTimeOffset? NextWakeAfter(DateTimeOffset now) =>
        db.Read(c => Sql.Scalar<long?>(c, null, "SELECT min(wake_at) FROM cases WHERE wake_at > $now", ("$now", Sql.Millis(now)))) is { } millis
            ? Sql.Instant(millis)
            : null;

    private static string Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
