using Microsoft.Extensions.Logging.Console;

namespace Dunning.Local.Cli;

/// <summary>Command-line runs log warnings and errors only, to standard error, so standard output stays the answer.</summary>
internal static class CliLogs
{
    public static readonly ILoggerFactory Factory = LoggerFactory.Create(builder => builder
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddFilter(level => level >= LogLevel.Warning)
        .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
