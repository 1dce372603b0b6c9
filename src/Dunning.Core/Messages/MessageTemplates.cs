using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Values;

namespace Dunning.Messages;

/// <summary>
/// One template file: its language folder, its name, its Liquid text, and where it came from: "shipped", or the path
/// of the business's file that overrides the shipped one.
/// </summary>
public sealed record TemplateFile(string Language, string Name, string Source, string Origin)
{
    /// <summary>The file's path relative to a templates folder, as the business edits it: <c>de/gentle.liquid</c>.</summary>
    public string RelativePath => $"{Language}/{Name}{MessageTemplates.Extension}";

    public bool IsOverride => Origin != MessageTemplates.ShippedOrigin;
}

/// <summary>What is wrong with a template file: which file, which line (0 when unknown) and what.</summary>
public sealed record TemplateProblem(string File, int Line, string Detail)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Detail}" : $"{File}: {Detail}";
}

/// <summary>Template files that cannot be used, each problem named; nothing of them was loaded.</summary>
public sealed class TemplateException(IReadOnlyList<TemplateProblem> problems)
    : Exception("Message templates have problems:\n" + string.Join('\n', problems.Select(p => "  " + p)))
{
    public IReadOnlyList<TemplateProblem> Problems { get; } = problems;
}

/// <summary>
/// The Liquid templates every message is written from, one file per message kind and language
/// (<c>Messages/Templates/de/gentle.liquid</c>), shipped inside this assembly; a business may override any of them
/// with its own file of the same name (<see cref="Load"/>). Each file is parsed once: the runner writes thousands of
/// messages from the same few templates.
/// </summary>
/// <remarks>
/// The templates receive named facts that C# has already written in the customer's culture (amounts, dates), so a
/// template only chooses words. A message is rendered in passes over one context: <c>common</c> (shared phrases,
/// as captures), <c>payment-options</c> (one way to pay per line), the message kind (captures <c>subject</c>,
/// <c>opening</c>, <c>closing</c>), then the text layout. All of that is plain text. The HTML layout gets the same
/// facts and phrases HTML-encoded and renders without a further encoder: what it writes literally is HTML, what the
/// facts and phrases carry (a customer's name, an apostrophe) is never markup.
/// </remarks>
public sealed class MessageTemplates
{
    public const string Extension = ".liquid";

    public const string ShippedOrigin = "shipped";

    /// <summary>What a message kind must capture for the layouts.</summary>
    public static readonly IReadOnlyList<string> KindCaptures = ["subject", "opening", "closing"];

    /// <summary>The files of each language: shared phrases, the message kinds, the layouts.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "common", "payment-options",
        "courtesy", "gentle", "firm", "invoice-copy", "final-notice", "letter-of-claim", "missed-installment", "promise-missed", "call",
        "message.text", "message.html", "call-script",
        "statement", "statement.text", "statement.html",
    ];

    private const string ResourcePrefix = "Dunning.Messages.Templates.";

    // Built on first parse: a set that writes nothing never needs it.
    private static readonly Lazy<FluidParser> Parser = new(() => new FluidParser());

    // Invariant culture: every culture-dependent fact is formatted by C# before it reaches a template.
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithCultureInfo(CultureInfo.InvariantCulture)
        .WithMaxSteps(200_000)
        .WithMaxRecursion(20)
        .WithStrictFilters(true)
        .Build();

    // The shipped files are parsed on first use each (a process writing English only never parses the others);
    // the tests render every one of them, so none can fail to parse here.
    private static readonly Lazy<MessageTemplates> ShippedSet = new(() => new MessageTemplates(ShippedFiles().Select(Deferred)));

    private static readonly Lazy<MessageTemplates> ShippedSubjects = new(() => Shipped.Writing(MessageParts.SubjectOnly));

    private readonly FrozenDictionary<string, Parsed> templates;

    private MessageTemplates(IEnumerable<Parsed> parsed) =>
        templates = parsed.ToFrozenDictionary(p => p.File.RelativePath, StringComparer.Ordinal);

    private MessageTemplates(FrozenDictionary<string, Parsed> templates, MessageParts writes) =>
        (this.templates, Writes) = (templates, writes);

    /// <summary>The templates shipped with this version, parsed on first use.</summary>
    public static MessageTemplates Shipped => ShippedSet.Value;

    /// <summary>The shipped templates writing subjects only (<see cref="MessageParts.SubjectOnly"/>): what the simulator's runs keep.</summary>
    public static MessageTemplates ShippedSubjectsOnly => ShippedSubjects.Value;

    /// <summary>
    /// No templates, writing nothing (<see cref="MessageParts.Nothing"/>): for a caller that keeps no word of a message
    /// (the simulator's report counts messages by channel). Neither reads nor parses a template file.
    /// </summary>
    public static MessageTemplates WritingNothing { get; } = new(FrozenDictionary<string, Parsed>.Empty, MessageParts.Nothing);

    /// <summary>What messages from this set have: the whole message unless the set was made by <see cref="Writing"/>.</summary>
    public MessageParts Writes { get; }

    /// <summary>
    /// The same templates, writing only <paramref name="parts"/> of each message. <see cref="MessageParts.SubjectOnly"/>:
    /// the text and HTML are empty and their layouts are not rendered, for a host that keeps nothing of a message but its
    /// subject (the simulator: a contact records its subject), never for one that sends or prints it. The subject is the
    /// one the whole message has: the shared phrases, the ways to pay and the kind are rendered as for a whole message,
    /// and a kind that does not capture a part is refused the same way.
    /// </summary>
    public MessageTemplates Writing(MessageParts parts) => parts == Writes ? this : new(templates, parts);

    /// <summary>Every file of this set, shipped or overriding, by language then name.</summary>
    public IReadOnlyList<TemplateFile> Files =>
        [.. templates.Values.Select(p => p.File).OrderBy(f => f.Language, StringComparer.Ordinal).ThenBy(f => IndexOfName(f.Name))];

    /// <summary>
    /// The shipped templates with the business's files in <paramref name="folder"/> (<c>&lt;lang&gt;/&lt;name&gt;.liquid</c>)
    /// in place of the shipped ones of the same name. No folder, no overrides. A file that does not parse, or whose
    /// language or name is not one of the shipped ones, is refused with its file and line (<see cref="TemplateException"/>).
    /// </summary>
    public static MessageTemplates Load(string? folder)
    {
        if (folder is null || !Directory.Exists(folder))
        {
            return Shipped;
        }

        var (files, problems) = OverrideFiles(folder);
        var parsed = files.Select(Parse).ToList();
        problems.AddRange(parsed.Where(p => p.Problem is not null).Select(p => p.Problem!));
        if (problems.Count > 0)
        {
            throw new TemplateException(problems);
        }

        if (files.Count == 0)
        {
            return Shipped;
        }

        var merged = Shipped.templates.Values.ToDictionary(p => p.File.RelativePath, StringComparer.Ordinal);
        foreach (var p in parsed)
        {
            merged[p.File.RelativePath] = p;
        }

        return new MessageTemplates(merged.Values);
    }

    /// <summary>The shipped template files, for <c>dunning templates export</c>.</summary>
    public static IReadOnlyList<TemplateFile> ShippedFiles()
    {
        var assembly = typeof(MessageTemplates).Assembly;
        var files = new List<TemplateFile>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var relative = resource[ResourcePrefix.Length..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            files.Add(new TemplateFile(relative[..slash], relative[(slash + 1)..^Extension.Length], Read(assembly, resource), ShippedOrigin));
        }

        return [.. files.OrderBy(f => f.Language, StringComparer.Ordinal).ThenBy(f => IndexOfName(f.Name))];
    }

    /// <summary>The language folder a culture's messages come from: its two-letter language when this set has it, else English.</summary>
    public string LanguageOf(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var language = culture.TwoLetterISOLanguageName;
        return templates.ContainsKey($"{language}/common{Extension}") ? language : Languages.Default;
    }

    /// <summary>The file this set renders for a language and name (the override when there is one).</summary>
    public TemplateFile File(string language, string name) => Get(language, name).File;

    /// <summary>
    /// Renders one message: <c>common</c> (not for statements, whose facts are per invoice), <c>payment-options</c>
    /// and the <paramref name="kind"/> into one context, then the text layout; then the HTML layout (when given) over
    /// the same facts and phrases, HTML-encoded.
    /// </summary>
    internal (string Subject, string Text, string? Html) Compose(string language, string kind, string textLayout, string? htmlLayout, MessageFacts facts, UnknownVariables? unknown = null)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var context = Context(facts, html: false, unknown);
        if (Writes == MessageParts.Whole)
        {
            // The phrases the HTML layout gets encoded.
            context.Captured = (name, value, _) =>
            {
                words.Add(name);
                return ValueTask.FromResult(value);
            };
            context.Assigned = (name, value, _) =>
            {
                words.Add(name);
                return ValueTask.FromResult(value);
            };
        }

        if (kind != "statement")
        {
            Render(Get(language, "common"), context, unknown);
        }

        var options = Render(Get(language, "payment-options"), context, unknown)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        context.SetValue("payment_options", Value(options, html: false));
        var kindTemplate = Get(language, kind);
        Render(kindTemplate, context, unknown);
        foreach (var capture in KindCaptures)
        {
            var value = context.GetValue(capture);
            if (value.IsNil())
            {
                // A kind that forgot a part would send a message without it: say so rather than send it.
                var problem = new TemplateProblem(kindTemplate.File.IsOverride ? kindTemplate.File.Origin : kindTemplate.File.RelativePath, 0, $"does not capture '{capture}'");
                if (unknown is null)
                {
                    throw new TemplateException([problem]);
                }

                unknown.Missing(problem);
            }

            // Captured paragraphs are written on their own lines in the files; the layouts place them.
            context.SetValue(capture, StringValue.Create(value.ToStringValue(context).Trim()));
        }

        var subject = Regex.Replace(context.GetValue("subject").ToStringValue(context), @"\s+", " ");
        if (Writes != MessageParts.Whole)
        {
            return (subject, string.Empty, htmlLayout is null ? null : string.Empty);
        }

        var text = Render(Get(language, textLayout), context, unknown);
        if (htmlLayout is null)
        {
            return (subject, text, null);
        }

        // The phrases and the kind are plain text, like the facts: the HTML layout gets them encoded.
        var html = Context(facts, html: true, unknown);
        html.SetValue("payment_options", Value(options, html: true));
        foreach (var word in words.Concat(KindCaptures))
        {
            html.SetValue(word, Value(context.GetValue(word).ToStringValue(context), html: true));
        }

        return (subject, text, Tidy(Render(Get(language, htmlLayout), html, unknown)));
    }

    private static TemplateContext Context(MessageFacts facts, bool html, UnknownVariables? unknown)
    {
        var context = new TemplateContext(Options);
        if (unknown is not null)
        {
            context.Undefined = (name, _) =>
            {
                unknown.Add(name);
                return ValueTask.FromResult<FluidValue>(NilValue.Instance);
            };
        }

        foreach (var (name, value) in facts.Values)
        {
            context.SetValue(name, Value(value, html));
            if (value is IReadOnlyList<MessageFacts> rows)
            {
                unknown?.Rows(name, rows.SelectMany(r => r.Values.Keys));
            }
        }

        return context;
    }

    private static string Render(Parsed parsed, TemplateContext context, UnknownVariables? unknown)
    {
        unknown?.Rendering(parsed.File);
        // Not isolated: what common and the kind capture is what the layouts read.
        return parsed.Template.Value!.Render(context, NullEncoder.Default, isolateContext: false);
    }

    private static int IndexOfName(string name) => Names.ToList().IndexOf(name);

    private Parsed Get(string language, string name) =>
        templates.TryGetValue($"{language}/{name}{Extension}", out var parsed)
            ? parsed
            : throw new InvalidOperationException($"No message template {language}/{name}{Extension}.");

    private static FluidValue Value(object? value, bool html) => value switch
    {
        null => NilValue.Instance,
        string s => StringValue.Create(html ? WebUtility.HtmlEncode(s) : s),
        int i => NumberValue.Create(i),
        IReadOnlyList<string> list => ArrayValue.Create([.. list.Select(s => Value(s, html))]),
        IReadOnlyList<MessageFacts> rows => ArrayValue.Create([.. rows.Select(r => FluidValue.Create((IDictionary<string, FluidValue>)r.Values.ToDictionary(kv => kv.Key, kv => Value(kv.Value, html), StringComparer.Ordinal), Options))]),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A message fact is a string, a number, a list of strings or a list of rows."),
    };

    // The HTML layouts are written one element per line for the reader of the file; the message keeps the
    // compact form (no whitespace between tags), as HTML mail has always been sent by this system.
    private static string Tidy(string html) => Regex.Replace(html.Trim(), @">\s*\n\s*<", "><");

    private static (List<TemplateFile> Files, List<TemplateProblem> Problems) OverrideFiles(string folder)
    {
        var files = new List<TemplateFile>();
        var problems = new List<TemplateProblem>();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            var parts = relative.Split('/');
            if (parts.Length != 2 || !relative.EndsWith(Extension, StringComparison.Ordinal))
            {
                problems.Add(new TemplateProblem(path, 0, $"is not a template: templates are <language>/<name>{Extension}, e.g. de/gentle{Extension}"));
                continue;
            }

            var (language, name) = (parts[0], parts[1][..^Extension.Length]);
            if (!Languages.Supported.Contains(language))
            {
                problems.Add(new TemplateProblem(path, 0, $"'{language}' is not a language folder: use one of {string.Join(", ", Languages.Supported)}"));
            }
            else if (!Names.Contains(name))
            {
                problems.Add(new TemplateProblem(path, 0, $"'{name}' is not a template name: use one of {string.Join(", ", Names)}"));
            }
            else
            {
                files.Add(new TemplateFile(language, name, System.IO.File.ReadAllText(path), path));
            }
        }

        return (files, problems);
    }


    private static Parsed Deferred(TemplateFile file)
    {
        file = file with { Source = file.Source.Replace("\r\n", "\n", StringComparison.Ordinal) };
        return new Parsed(file, new Lazy<IFluidTemplate?>(() => Parser.Value.Parse(file.Source)), null);
    }

    private static Parsed Parse(TemplateFile file)
    {
        // Files saved on Windows read the same as the shipped ones.
        var source = file.Source.Replace("\r\n", "\n", StringComparison.Ordinal);
        file = file with { Source = source };
        return Parser.Value.TryParse(source, out var template, out var error)
            ? new Parsed(file, new Lazy<IFluidTemplate?>(() => template), null)
            : new Parsed(file, new Lazy<IFluidTemplate?>(() => null), ParseProblem(file, error));
    }

    // Fluid says where it stopped as "... at (line:column)".
    private static TemplateProblem ParseProblem(TemplateFile file, string error)
    {
        var at = Regex.Match(error, @"at \((\d+):(\d+)\)");
        var line = at.Success ? int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var detail = error.Split('\n')[0];
        return new TemplateProblem(file.IsOverride ? file.Origin : file.RelativePath, line, "does not parse: " + detail);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed record Parsed(TemplateFile File, Lazy<IFluidTemplate?> Template, TemplateProblem? Problem);
}

/// <summary>The named facts a template reads, already formatted for the reader (strings, numbers, lists, rows).</summary>
internal sealed record MessageFacts(IReadOnlyDictionary<string, object?> Values);

/// <summary>Collects the variables a render read that no fact, capture or assignment defines, with the file that read each.</summary>
internal sealed class UnknownVariables
{
    private readonly List<(TemplateFile File, string Name)> found = [];
    private TemplateFile? current;

    public IReadOnlyList<(TemplateFile File, string Name)> Found => found;

    /// <summary>The file being rendered, for an error that names none.</summary>
    public TemplateFile? Current => current;

    public void Rendering(TemplateFile file)
    {
        current = file;
        if (!rendered.Contains(file))
        {
            rendered.Add(file);
        }
    }

    /// <summary>Every file a render read, in order.</summary>
    public IReadOnlyList<TemplateFile> Rendered => rendered;

    private readonly List<TemplateFile> rendered = [];

    /// <summary>
    /// The fields each list fact's rows have ("invoices": number, owed, …). Liquid reads a field no row has as empty,
    /// without asking, so the check compares what the templates read of the rows with these.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> RowFields => rowFields;

    private readonly Dictionary<string, IReadOnlySet<string>> rowFields = new(StringComparer.Ordinal);

    public void Rows(string list, IEnumerable<string> fields)
    {
        var known = rowFields.TryGetValue(list, out var before) ? before : new HashSet<string>(StringComparer.Ordinal);
        rowFields[list] = new HashSet<string>(known.Concat(fields), StringComparer.Ordinal);
    }

    public void Add(string name)
    {
        if (current is not null && !found.Contains((current, name)))
        {
            found.Add((current, name));
        }
    }

    public List<TemplateProblem> Problems { get; } = [];

    public void Missing(TemplateProblem problem) => Problems.Add(problem);
}
