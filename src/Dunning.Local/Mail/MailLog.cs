namespace Dunning.Local;

/// <summary>The log lines of mail delivery (event ids 60–69).</summary>
internal static partial class Log
{
    [LoggerMessage(60, LogLevel.Warning, "Mail: cannot reach {Server}: {Reason}; queued messages are retried with back-off")]
    public static partial void MailServerUnavailable(this ILogger logger, string server, string reason, Exception exception);

    [LoggerMessage(61, LogLevel.Warning, "Mail {Key}: {Reason}; retried with back-off")]
    public static partial void MailRetry(this ILogger logger, string key, string reason);

    [LoggerMessage(62, LogLevel.Error, "Mail {Key} parked: {Reason}")]
    public static partial void MailParked(this ILogger logger, string key, string reason);

    [LoggerMessage(63, LogLevel.Information, "Mail: {Sent} sent, {Retrying} to retry, {Parked} parked")]
    public static partial void MailDelivered(this ILogger logger, int sent, int retrying, int parked);

    [LoggerMessage(64, LogLevel.Error, "The mail delivery loop failed; it retries shortly")]
    public static partial void MailLoopFailed(this ILogger logger, Exception exception);
}
