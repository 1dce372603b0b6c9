using System.CommandLine;
using System.Globalization;
using Dunning.Messages;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary><c>dunning templates</c>: write the shipped message templates out for editing, and check the business's own.</summary>
internal static class TemplateCommands
{
    public static Command Templates()
    {
        var command = new Command("templates",
            "Message templates (Liquid), one file per message kind and language (en, de, fr, es). A file <data>/templates/<lang>/<name>.liquid " +
            "replaces the shipped one of that name on this host; every command that opens the data folder refuses to start while one of them fails 'templates check'.")
        {
            Export(),
            Check(),
        };
        return command;
    }

    private static Command Export()
    {
        var to = new Option<string?>("--to") { Description = "Where to write them [default: <data>/templates, where they take effect]", HelpName = "DIR" };
        var command = new Command("export",
            "Write the shipped templates as <lang>/<name>.liquid files for editing. A file already there is kept, never overwritten. " +
            "In <data>/templates every file overrides the shipped one: keep only those you change, so later versions' wording reaches the rest.")
        {
            to,
        };
        command.SetAction(parse =>
        {
            var folder = Path.GetFullPath(parse.GetValue(to) ?? Path.Combine(CommandLine.DataFolder(parse), LocalApp.TemplatesFolder));
            var (written, kept) = (0, new List<string>());
            foreach (var file in MessageTemplates.ShippedFiles())
            {
                var path = Path.Combine(folder, file.Language, file.Name + MessageTemplates.Extension);
                if (File.Exists(path))
                {
                    kept.Add(path);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Source);
                written++;
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Wrote {written} template file(s) to {folder}.");
            foreach (var path in kept)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Kept (already there): {path}");
            }

            AnsiConsole.MarkupLine("Edit them, then run 'dunning templates check'. The facts a template can use are listed in docs/local-host.md.");
            return CommandLine.Ok;
        });
        return command;
    }

    private static Command Check()
    {
        var command = new Command("check",
            "Render every template, shipped and <data>/templates, for every message kind, tone, channel and language against sample cases. " +
            "Exit 1, naming file, line and variable, on an unknown variable or filter, a kind without its subject, opening or closing, or a file that does not parse.");
        command.SetAction(parse =>
        {
            var folder = Path.Combine(CommandLine.DataFolder(parse), LocalApp.TemplatesFolder);
            var templates = MessageTemplates.Load(folder);
            var result = TemplateCheck.Run(templates);
            if (!result.Ok)
            {
                throw new CliException($"{result.Problems.Count} problem(s) in the message templates; nothing sent from them would be right.", [.. result.Problems.Select(p => p.ToString())]);
            }

            var overrides = templates.Files.Where(f => f.IsOverride).ToList();
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"{templates.Files.Count} template files ({overrides.Count} from {folder}) in {templates.Files.Select(f => f.Language).Distinct().Count()} languages: {result.Renders} messages rendered, no unknown variables.");
            foreach (var file in overrides)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  overrides {file.RelativePath}: {file.Origin}");
            }

            return CommandLine.Ok;
        });
        return command;
    }
}
