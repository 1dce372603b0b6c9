using Dunning.Local.Cli;
using Spectre.Console;

namespace Dunning.Local.Tests.Support;

/// <summary>Tests that swap the process's Console.Out and Console.Error run alone, never beside another test.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

public static class ConsoleCapture
{
    /// <summary>Runs the <c>dunning</c> command line in this process (<see cref="CommandLine.RunAsync"/>), capturing what it prints.</summary>
    public static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        var (savedOut, savedError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CommandLine.RunAsync(args, error);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);

            // RunAsync binds Spectre's static console to the captured writer, disposed on return: give it back the
            // process's own, or the next test that prints through it (the dashboard's demo host) writes to a closed writer.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(savedOut) });
        }
    }
}
