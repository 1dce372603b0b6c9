namespace Dunning.Local;

/// <summary>Every log line of the local host, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Case {InvoiceId}: {Transitions} transition(s) at {Now:O}")]
    public static partial void CaseRan(this ILogger logger, string invoiceId, int transitions, DateTimeOffset now);

    [LoggerMessage(2, LogLevel.Warning, "Case {InvoiceId}: the effect {Key} failed; it stays in the outbox and is retried on the next run")]
    public static partial void EffectFailed(this ILogger logger, string invoiceId, string key, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Case {InvoiceId}: the runner failed; the case is retried on the next run")]
    public static partial void CaseFailed(this ILogger logger, string invoiceId, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Case {InvoiceId}: completing the effect {Key} begun before a restart")]
    public static partial void Recovering(this ILogger logger, string invoiceId, string key);

    [LoggerMessage(5, LogLevel.Warning, "Case {InvoiceId}: signal {Seq} not applied ({Outcome}): {Detail}")]
    public static partial void SignalRefused(this ILogger logger, string invoiceId, long seq, string outcome, string detail);

    [LoggerMessage(6, LogLevel.Error, "Case {InvoiceId}: the decider asked to wait until {Until:O}, which is not after {Now:O}; the case is skipped until the next run")]
    public static partial void WaitNotInFuture(this ILogger logger, string invoiceId, DateTimeOffset? until, DateTimeOffset now);

    [LoggerMessage(7, LogLevel.Debug, "Case {InvoiceId}: saved by another runner first; reloading")]
    public static partial void Concurrent(this ILogger logger, string invoiceId);

    [LoggerMessage(10, LogLevel.Information, "Daily scan at {Now:O}: {Started} case(s) started, {Running} already running, {NothingOwed} with nothing owed")]
    public static partial void Scanned(this ILogger logger, DateTimeOffset now, int started, int running, int nothingOwed);

    [LoggerMessage(11, LogLevel.Warning, "Daily scan: {Problem}")]
    public static partial void ScanProblem(this ILogger logger, string problem);

    [LoggerMessage(12, LogLevel.Error, "The daily scan failed; it runs again at the next scheduled time")]
    public static partial void ScanFailed(this ILogger logger, Exception exception);

    [LoggerMessage(13, LogLevel.Error, "The runner loop failed; it retries shortly")]
    public static partial void RunnerLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "Runner: {Transitions} transition(s), {Effects} effect(s), {Signals} signal(s) over {Cases} case(s)")]
    public static partial void RunnerRan(this ILogger logger, int cases, int transitions, int effects, int signals);

    [LoggerMessage(20, LogLevel.Warning, "No admin key is configured (Dunning:AdminKey / Dunning__AdminKey): this run uses the generated key {Key}")]
    public static partial void GeneratedAdminKey(this ILogger logger, string key);

    [LoggerMessage(21, LogLevel.Warning, "No {Provider} webhook secret is configured ({Setting}): its webhook route answers 503")]
    public static partial void NoWebhookSecret(this ILogger logger, string provider, string setting);

    [LoggerMessage(22, LogLevel.Information, "Webhook {Provider}: {Answer}: {Detail}")]
    public static partial void Webhook(this ILogger logger, string provider, string answer, string detail);

    [LoggerMessage(23, LogLevel.Error, "Webhook {Provider} event {EventId} could not be applied; it stays queued for the runner's next turn")]
    public static partial void WebhookNotApplied(this ILogger logger, string provider, string eventId, Exception exception);
}
