using System.CommandLine;
using System.Globalization;
using Dunning.Local.Storage;
using Dunning.Local.Mail;
using Dunning.Messages;
using Dunning.Policies;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>
/// The <c>dunning</c> command line. Exit codes: 0 ok, 1 bad input (a file with errors, an invalid policy),
/// 2 usage (an unknown command or option, a missing or malformed argument).
/// </summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Usage = 2;

    public const string DefaultData = ".dunning";

    internal static readonly Option<string?> Data = new("--data")
    {
        Description = "The data folder: the SQLite file, the outbox of .eml files, letters and evidence bundles [default: ./.dunning]",
        HelpName = "DIR",
        Recursive = true,
    };

    internal static readonly Option<string?> PolicyFile = new("--policy")
    {
        Description = "A policy file (JSON); without it, <data>/policy.json if present, else the built-in default (docs/policy.md)",
        HelpName = "FILE",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or another program: plain text, wide enough that tables do not wrap.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            AnsiConsole.Profile.Width = 160;
        }

        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var error = output ?? Console.Error;
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run 'dunning --help' for usage.");
            return Usage;
        }

        try
        {
            // Our own handlers below print a plain message; the default handler would print a stack trace.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Report(e.Message, e.Details);
            return BadInput;
        }
        catch (PolicyException e)
        {
            Report("The policy is not valid; nothing ran.", e.Problems);
            return BadInput;
        }
        catch (TemplateException e)
        {
            Report("The message templates in the data folder's templates/ have problems; nothing ran.", [.. e.Problems.Select(p => p.ToString())]);
            return BadInput;
        }
        catch (FolderLockedException e)
        {
            Report(e.Message, []);
            return BadInput;
        }
    }

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "dunning: collects overdue invoices politely and lawfully. One case per overdue invoice sends escalating reminders, " +
            "pauses for plans and disputes, stops when paid, and ends with a small-claims or collection-agency recommendation.");
        root.Add(Data);
        root.Add(PolicyFile);
        root.Add(InitCommand.Init());
        root.Add(Commands.Demo());
        root.Add(Commands.Import());
        root.Add(Commands.Scan());
        root.Add(Commands.Run());
        root.Add(Commands.Serve());
        root.Add(Commands.Cases());
        root.Add(Commands.Case());
        root.Add(Commands.CallTasks());
        root.Add(Commands.Aging());
        root.Add(Commands.Learn());
        root.Add(Commands.Digest());
        root.Add(Commands.Simulate());
        root.Add(MailCommands.Mail());
        root.Add(TemplateCommands.Templates());
        return root;
    }

    internal static string DataFolder(ParseResult parse, string fallback = DefaultData) =>
        Path.GetFullPath(parse.GetValue(Data) ?? fallback);

    /// <summary>--policy, else the data folder's policy.json, else the built-in default.</summary>
    internal static DunningPolicy Policy(ParseResult parse, string dataFolder)
    {
        var path = parse.GetValue(PolicyFile);
        if (path is null && File.Exists(Path.Combine(dataFolder, "policy.json")))
        {
            path = Path.Combine(dataFolder, "policy.json");
        }

        if (path is not null && !File.Exists(path))
        {
            throw new CliException($"No policy file at {Path.GetFullPath(path)}.");
        }

        return PolicyJson.Load(path);
    }

    /// <summary>
    /// Refuses to contact anyone from a profile that still holds the built-in placeholders ("Your Business Ltd", account
    /// 00000000): every field still a placeholder is named. Only <c>demo</c> runs on them.
    /// </summary>
    internal static DunningPolicy RequireRealProfile(DunningPolicy policy)
    {
        var placeholders = DefaultPolicy.PlaceholdersIn(policy.Business);
        return placeholders.Count == 0
            ? policy
            : throw new CliException(
                "The business profile still has sample placeholders, so nobody is contacted: run 'dunning init' (or edit business.* in the policy file) first.",
                [.. placeholders.Select(f => $"{f}: still the placeholder")]);
    }

    /// <summary>The data folder's <c>mail.json</c> (SMTP delivery), or null: email goes to <c>.eml</c> files.</summary>
    internal static MailSettings? Mail(string dataFolder)
    {
        try
        {
            return MailSettings.Load(dataFolder);
        }
        catch (MailSettingsException e)
        {
            throw new CliException($"{Path.Combine(dataFolder, MailSettings.FileName)} is not valid; nothing ran.", e.Problems);
        }
    }

    /// <summary>A date (YYYY-MM-DD) or an instant (ISO 8601) from the command line, as a UTC instant.</summary>
    internal static DateTimeOffset Instant(string text, string option, TimeOnly timeOfDay)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(timeOfDay), TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw new CliException($"{option}: '{text}' is not a date (YYYY-MM-DD) or an ISO 8601 instant.");
    }

    internal static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new CliException($"{option}: '{text}' is not a date (YYYY-MM-DD).");

    private static void Report(string message, IReadOnlyList<string> details)
    {
        // Piped into a file or another program: no colour codes, and the message is not wrapped. Details are written as they are, one per line and
        // never wrapped to a terminal width, so "file:line: column: reason" can be read (and grepped) whole.
        var plain = Console.IsErrorRedirected;
        var error = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (plain)
        {
            Console.Error.WriteLine(message);
        }
        else
        {
            error.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        }

        foreach (var detail in details)
        {
            Console.Error.WriteLine("  " + detail);
        }
    }
}
