namespace Dunning.Local.Cli;

/// <summary>Bad input the user can fix (a file with errors, an invalid policy, a date in the past): exit code 1, no stack trace.</summary>
public sealed class CliException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    public IReadOnlyList<string> Details { get; } = details ?? [];
}
