using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;

namespace Dunning.Jurisdictions;

/// <summary>
/// The legal numbers the system acts on, one entry per jurisdiction code ("US-CA", "GB-ENG", "DE"),
/// from the embedded <c>jurisdictions.json</c> and any override files. Not legal advice: every
/// number carries its source, as-of date and confidence. The file format is in docs/jurisdictions.md.
/// </summary>
public sealed class JurisdictionCatalog
{
    public const string ResourceName = "Dunning.Jurisdictions.jurisdictions.json";

    private const string SmallClaimsField = "smallClaims";
    private const string LimitationField = "limitation";
    private const string StatutoryField = "statutory";
    private const string PreActionField = "preAction";

    private static readonly Lazy<JurisdictionCatalog> Embedded = new(LoadEmbedded);

    private static readonly ImmutableHashSet<string> Facts = [SmallClaimsField, LimitationField, StatutoryField, PreActionField];

    private readonly ImmutableSortedDictionary<string, Entry> entries;

    private JurisdictionCatalog(ImmutableSortedDictionary<string, Entry> entries, DateOnly? compiled)
    {
        this.entries = entries;
        Compiled = compiled;
    }

    /// <summary>The data shipped with the system, loaded once.</summary>
    public static JurisdictionCatalog Default => Embedded.Value;

    /// <summary>When the data was compiled (the newest "compiled" date of the base file and its overrides).</summary>
    public DateOnly? Compiled { get; }

    /// <summary>Every code with an entry of its own, in order.</summary>
    public IEnumerable<string> Codes => entries.Keys;

    /// <summary>Reads a whole catalog; every problem in the file is reported at once.</summary>
    /// <exception cref="JurisdictionDataException">The file is not valid; the exception lists every problem.</exception>
    public static JurisdictionCatalog Load(string json)
    {
        var problems = new List<string>();
        var file = JurisdictionFile.Parse(json, problems);
        var merged = Merge(ImmutableSortedDictionary<string, Entry>.Empty, file.Patches);
        CheckFallbacks(merged, problems);
        return problems.Count > 0
            ? throw new JurisdictionDataException(problems)
            : new JurisdictionCatalog(merged, file.Compiled);
    }

    /// <summary>
    /// Applies an override file (same format): each of its entries replaces, for that code, the
    /// fields it names (a whole "smallClaims" object, say); a fact set to null is removed and no
    /// longer taken from the country or fallback either; a new code is added. The catalog it is
    /// called on is unchanged.
    /// </summary>
    /// <exception cref="JurisdictionDataException">The override file is not valid; the exception lists every problem.</exception>
    public JurisdictionCatalog WithOverrides(string json)
    {
        var problems = new List<string>();
        var file = JurisdictionFile.Parse(json, problems);
        var merged = Merge(entries, file.Patches);
        CheckFallbacks(merged, problems);
        var compiled = file.Compiled is { } c && (Compiled is null || c > Compiled) ? c : Compiled;
        return problems.Count > 0
            ? throw new JurisdictionDataException(problems)
            : new JurisdictionCatalog(merged, compiled);
    }

    /// <summary>
    /// The facts for a customer's jurisdiction: its own entry, with what it lacks taken from the
    /// country's entry and then from each entry's fallback ("FR" falls back to "EU");
    /// <see cref="JurisdictionFacts.Unknown"/> when nothing matches.
    /// </summary>
    public JurisdictionFacts For(Jurisdiction jurisdiction)
    {
        var code = jurisdiction.Code.Trim().ToUpperInvariant();
        var chain = Chain(code, jurisdiction.Country.Trim().ToUpperInvariant());
        return chain.Count == 0
            ? JurisdictionFacts.Unknown(code)
            : new JurisdictionFacts(
                code,
                chain[0].Name,
                First(chain, SmallClaimsField, e => e.SmallClaims),
                First(chain, LimitationField, e => e.Limitation),
                First(chain, StatutoryField, e => e.Statutory),
                First(chain, PreActionField, e => e.PreAction));
    }

    public JurisdictionFacts For(string code) => For(Jurisdiction.Parse(code));

    /// <summary>The first entry's fact; an entry that set the fact to null has none, and stops the search.</summary>
    private static T? First<T>(List<Entry> chain, string field, Func<Entry, T?> fact)
        where T : class
    {
        foreach (var entry in chain)
        {
            if (fact(entry) is { } value)
            {
                return value;
            }

            if (entry.Cleared.Contains(field))
            {
                return null;
            }
        }

        return null;
    }

    private List<Entry> Chain(string code, string country)
    {
        var chain = new List<Entry>();
        foreach (var start in new[] { code, country })
        {
            if (entries.TryGetValue(start, out var entry) && !chain.Contains(entry))
            {
                chain.Add(entry);
            }
        }

        // Fallbacks are checked for cycles when loaded, so this ends.
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i].Fallback is { } next && entries.TryGetValue(next, out var entry) && !chain.Contains(entry))
            {
                chain.Add(entry);
            }
        }

        return chain;
    }

    private static ImmutableSortedDictionary<string, Entry> Merge(ImmutableSortedDictionary<string, Entry> entries, IEnumerable<Patch> patches)
    {
        var builder = entries.ToBuilder();
        foreach (var patch in patches)
        {
            builder[patch.Code] = patch.ApplyTo(builder.GetValueOrDefault(patch.Code) ?? Entry.Empty(patch.Code));
        }

        return builder.ToImmutable();
    }

    private static void CheckFallbacks(ImmutableSortedDictionary<string, Entry> entries, List<string> problems)
    {
        foreach (var entry in entries.Values.Where(e => e.Fallback is not null))
        {
            if (!entries.ContainsKey(entry.Fallback!))
            {
                problems.Add($"{entry.Code}: fallback: there is no entry '{entry.Fallback}'");
                continue;
            }

            var seen = new HashSet<string> { entry.Code };
            for (var next = entry.Fallback; next is not null && entries.TryGetValue(next, out var e); next = e.Fallback)
            {
                if (!seen.Add(next))
                {
                    problems.Add($"{entry.Code}: fallback: '{entry.Fallback}' leads back round in a cycle ({string.Join(" -> ", seen)} -> {next})");
                    break;
                }
            }
        }
    }

    private static JurisdictionCatalog LoadEmbedded()
    {
        using var stream = typeof(JurisdictionCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return Load(reader.ReadToEnd());
    }

    /// <summary>
    /// One jurisdiction's data as stored: the facts, where to look for those it lacks, and the facts it
    /// set to null (it has none of those, so they are not looked for further).
    /// </summary>
    private sealed record Entry(
        string Code,
        string Name,
        string? Fallback,
        string? Notes,
        SmallClaimsRule? SmallClaims,
        LimitationRule? Limitation,
        StatutoryLatePayment? Statutory,
        PreActionRule? PreAction,
        ImmutableHashSet<string> Cleared)
    {
        public static Entry Empty(string code) => new(code, code, null, null, null, null, null, null, []);
    }

    /// <summary>The fields one file entry names; in a base file a field it does not name is simply absent.</summary>
    private sealed record Patch(string Code, ImmutableHashSet<string> Fields, Entry Values)
    {
        public Entry ApplyTo(Entry entry) => entry with
        {
            Name = Fields.Contains("name") ? Values.Name : entry.Name,
            Fallback = Fields.Contains("fallback") ? Values.Fallback : entry.Fallback,
            Notes = Fields.Contains("notes") ? Values.Notes : entry.Notes,
            SmallClaims = Fields.Contains(SmallClaimsField) ? Values.SmallClaims : entry.SmallClaims,
            Limitation = Fields.Contains(LimitationField) ? Values.Limitation : entry.Limitation,
            Statutory = Fields.Contains(StatutoryField) ? Values.Statutory : entry.Statutory,
            PreAction = Fields.Contains(PreActionField) ? Values.PreAction : entry.PreAction,
            Cleared = entry.Cleared.Except(Fields).Union(Values.Cleared),
        };
    }

    /// <summary>
    /// Reads the file by hand from a <see cref="JsonDocument"/> rather than deserializing it, so that
    /// every problem (a negative limit, a misspelt field, a bad date, an unknown currency) is found in
    /// one pass and reported as "code: field: reason", and so an override can tell "not named" from null.
    /// </summary>
    private sealed record JurisdictionFile(IReadOnlyList<Patch> Patches, DateOnly? Compiled)
    {
        private static readonly JsonDocumentOptions DocumentOptions = new()
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        public static JurisdictionFile Parse(string json, List<string> problems)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, DocumentOptions);
            }
            catch (JsonException e)
            {
                problems.Add($"file: not valid JSON: {e.Message}");
                return new([], null);
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    problems.Add("file: expected an object with an \"entries\" array");
                    return new([], null);
                }

                var root = new Fields(document.RootElement, "file", string.Empty, problems);
                root.Text("notice", required: false);
                var compiled = root.Date("compiled", required: false);
                var patches = new List<Patch>();
                var seen = new HashSet<string>();
                var list = root.Array("entries", required: true) ?? [];
                for (var i = 0; i < list.Count; i++)
                {
                    if (ParseEntry(list[i], i, problems) is { } patch)
                    {
                        if (!seen.Add(patch.Code))
                        {
                            problems.Add($"{patch.Code}: code: appears more than once in the same file");
                        }

                        patches.Add(patch);
                    }
                }

                root.RejectUnknown();
                return new(patches, compiled);
            }
        }

        private static Patch? ParseEntry(JsonElement element, int index, List<string> problems)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"entries[{index}]: expected an object");
                return null;
            }

            var code = element.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()!.Trim().ToUpperInvariant()
                : null;
            if (code is null || !IsCode(code))
            {
                problems.Add(code is null
                    ? $"entries[{index}]: code: missing (a string such as \"US-CA\", \"GB-ENG\" or \"FR\")"
                    : $"entries[{index}]: code: '{code}' is not a country code with an optional region (\"US-CA\", \"GB-ENG\", \"FR\")");
                return null;
            }

            var f = new Fields(element, code, string.Empty, problems);
            f.Text("code", required: true);
            var name = f.Text("name", required: false);
            var fallback = f.Text("fallback", required: false)?.Trim().ToUpperInvariant();
            if (fallback == code)
            {
                f.Problem("fallback", "an entry cannot fall back to itself");
            }

            var values = new Entry(
                code,
                name ?? code,
                fallback,
                f.Text("notes", required: false),
                f.Object(SmallClaimsField) is { } sc ? SmallClaims(new Fields(sc, code, SmallClaimsField, problems)) : null,
                f.Object(LimitationField) is { } lim ? Limitation(new Fields(lim, code, LimitationField, problems)) : null,
                f.Object(StatutoryField) is { } st ? Statutory(new Fields(st, code, StatutoryField, problems)) : null,
                f.Object(PreActionField) is { } pa ? PreAction(new Fields(pa, code, PreActionField, problems)) : null,
                f.NamedNull.Intersect(Facts));
            f.RejectUnknown();
            return new Patch(code, f.Named.Remove("code"), values);
        }

        private static SmallClaimsRule? SmallClaims(Fields f)
        {
            var court = f.Text("court", required: true);
            var currency = f.Currency("currency");
            var natural = f.Number("limitNaturalPerson", required: true);
            var entity = f.Number("limitEntity", required: true);
            var consumerCredit = f.Number("consumerCreditLimit", required: false);
            var assigneesBarred = f.Flag("assigneesBarred");
            var fees = f.List("filingFees", required: true, FeeBand);
            if (fees is { Count: 0 })
            {
                f.Problem("filingFees", "needs at least one band");
            }
            else if (fees is not null && fees.All(b => b is not null))
            {
                CheckBands(f, "filingFees", "upTo", [.. fees.Select(b => b!.UpTo)]);
            }

            var feesSource = f.Provenance("feesSource", required: false);
            var notes = f.Text("notes", required: false);
            var source = f.Provenance("source", required: true);
            f.RejectUnknown();
            return court is null || currency is null || natural is null || entity is null || fees is null || fees.Any(b => b is null) || source is null
                ? null
                : new SmallClaimsRule(court, natural.Value, entity.Value, currency, fees.Select(b => b!).ToValueList(), source, consumerCredit, assigneesBarred, notes, feesSource);
        }

        private static FeeBand? FeeBand(Fields f)
        {
            var upTo = f.Number("upTo", required: false);
            var fee = f.Number("fee", required: true);
            var percent = f.Number("percentAbove", required: false, max: 100m);
            f.RejectUnknown();
            return fee is null ? null : new FeeBand(upTo, fee.Value, percent);
        }

        private static LimitationRule? Limitation(Fields f)
        {
            var written = f.Integer("writtenContractYears", required: true, min: 1, max: 100);
            var openAccount = f.Integer("openAccountYears", required: false, min: 1, max: 100);
            var notes = f.Text("notes", required: false);
            var source = f.Provenance("source", required: true);
            f.RejectUnknown();
            return written is null || source is null ? null : new LimitationRule(written.Value, openAccount ?? written.Value, source, notes);
        }

        private static StatutoryLatePayment? Statutory(Fields f)
        {
            var law = f.Text("law", required: true);
            var currency = f.Currency("currency");
            var reference = f.Number("referenceRatePercent", required: true, min: -100m, max: 100m);
            var margin = f.Number("marginPercent", required: true, max: 100m);
            var bands = f.List("fixedCompensation", required: false, CompensationBand) ?? [];
            if (bands.All(b => b is not null))
            {
                CheckBands(f, "fixedCompensation", "debtBelow", [.. bands.Select(b => b!.DebtBelow)]);
            }

            var source = f.Provenance("source", required: true);
            if (reference + margin is < 0m and var annual)
            {
                f.Problem("referenceRatePercent", $"the annual rate ({Fields.Show(annual)}%) must not be negative");
            }

            f.RejectUnknown();
            return law is null || currency is null || reference is null || margin is null || bands.Any(b => b is null) || source is null
                ? null
                : new StatutoryLatePayment(law, reference.Value, margin.Value, currency, bands.Select(b => b!).ToValueList(), source);
        }

        private static CompensationBand? CompensationBand(Fields f)
        {
            var below = f.Number("debtBelow", required: false);
            var amount = f.Number("amount", required: true);
            f.RejectUnknown();
            return amount is null ? null : new CompensationBand(below, amount.Value);
        }

        private static PreActionRule? PreAction(Fields f)
        {
            var name = f.Text("name", required: true);
            var consumers = f.Flag("appliesToConsumers", required: true);
            var businesses = f.Flag("appliesToBusinesses", required: true);
            var responseDays = f.Integer("responseDays", required: true, min: 0, max: 3650);
            var maxAgeDays = f.Integer("maxAgeDays", required: false, min: 0, max: 3650);
            if (maxAgeDays < responseDays)
            {
                f.Problem("maxAgeDays", string.Create(CultureInfo.InvariantCulture, $"must not be less than responseDays ({responseDays})"));
            }

            var source = f.Provenance("source", required: true);
            f.RejectUnknown();
            return name is null || responseDays is null || source is null
                ? null
                : new PreActionRule(name, consumers, businesses, responseDays.Value, source, maxAgeDays);
        }

        /// <summary>Bands go up: each bound above the one before, only the last open-ended (null).</summary>
        private static void CheckBands(Fields f, string field, string bound, IReadOnlyList<decimal?> bounds)
        {
            for (var i = 0; i < bounds.Count; i++)
            {
                if (bounds[i] is null && i < bounds.Count - 1)
                {
                    f.Problem($"{field}[{i}].{bound}", "only the last band may be open-ended (null)");
                }
                else if (i > 0 && bounds[i] is { } b && bounds[i - 1] is { } previous && b <= previous)
                {
                    f.Problem($"{field}[{i}].{bound}", $"bands must go up: {Fields.Show(b)} is not above {Fields.Show(previous)}");
                }
            }

            if (field == "filingFees" && bounds.Count > 0 && bounds[^1] is not null)
            {
                f.Problem(field, "the last band must be open-ended (\"upTo\": null) so every claim has a fee");
            }
        }

        private static bool IsCode(string code)
        {
            var parts = code.Split('-');
            return parts.Length is 1 or 2
                && parts[0].Length == 2 && parts[0].All(char.IsAsciiLetterUpper)
                && (parts.Length == 1 || (parts[1].Length is >= 1 and <= 3 && parts[1].All(char.IsAsciiLetterOrDigit)));
        }
    }

    /// <summary>Reads the fields of one JSON object, recording a problem for each bad or unknown one.</summary>
    private sealed class Fields(JsonElement element, string code, string path, List<string> problems)
    {
        private readonly HashSet<string> read = [];

        /// <summary>The fields this object names (present, even if null).</summary>
        public ImmutableHashSet<string> Named => [.. element.EnumerateObject().Select(p => p.Name)];

        /// <summary>The fields this object sets to null.</summary>
        public ImmutableHashSet<string> NamedNull => [.. element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Null).Select(p => p.Name)];

        public void Problem(string field, string reason) =>
            problems.Add($"{code}: {(path.Length == 0 ? field : path + "." + field)}: {reason}");

        public string? Text(string name, bool required) =>
            Get(name, required) is { } value
                ? value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                    ? value.GetString()
                    : Fail<string>(name, "must be a non-empty string")
                : null;

        public decimal? Number(string name, bool required, decimal min = 0m, decimal max = decimal.MaxValue)
        {
            if (Get(name, required) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
            {
                return FailValue<decimal>(name, $"must be a number, not {Show(value)}");
            }

            return number < min ? FailValue<decimal>(name, min == 0m ? $"must not be negative ({Show(number)})" : $"must be at least {Show(min)} ({Show(number)})")
                : number > max ? FailValue<decimal>(name, $"must be at most {Show(max)} ({Show(number)})")
                : number;
        }

        public int? Integer(string name, bool required, int min, int max) =>
            Number(name, required, min, max) is { } n
                ? n == decimal.Truncate(n) ? (int)n : FailValue<int>(name, $"must be a whole number ({Show(n)})")
                : null;

        public bool Flag(string name, bool required = false) =>
            Get(name, required) is { } value && (value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? value.GetBoolean()
                : FailFlag(name, value));

        public DateOnly? Date(string name, bool required) =>
            Text(name, required) is { } text
                ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date
                    : FailValue<DateOnly>(name, $"'{text}' is not a date (yyyy-MM-dd)")
                : null;

        public string? Currency(string name) =>
            Text(name, required: true) is { } text
                ? Currencies.IsValid(text.Trim())
                    ? text.Trim().ToUpperInvariant()
                    : Fail<string>(name, $"'{text}' is not an ISO 4217 currency code (USD, GBP, EUR, ...)")
                : null;

        public Provenance? Provenance(string name, bool required)
        {
            if (Object(name, required) is not { } value)
            {
                return null;
            }

            var f = new Fields(value, code, Join(name), problems);
            var url = f.Text("sourceUrl", required: true);
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            {
                f.Problem("sourceUrl", $"'{url}' is not an http(s) address");
                url = null;
            }

            var asOf = f.Date("asOf", required: true);
            var confidence = f.Confidence("confidence");
            var note = f.Text("note", required: false);
            f.RejectUnknown();
            return url is null || asOf is null || confidence is null ? null : new Provenance(url, asOf.Value, confidence.Value, note);
        }

        public JsonElement? Object(string name, bool required = false) =>
            Get(name, required) is { } value
                ? value.ValueKind == JsonValueKind.Object ? value : FailValue<JsonElement>(name, $"must be an object, not {Show(value)}")
                : null;

        public IReadOnlyList<JsonElement>? Array(string name, bool required) =>
            Get(name, required) is { } value
                ? value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : Fail<IReadOnlyList<JsonElement>>(name, $"must be a list, not {Show(value)}")
                : null;

        /// <summary>Each item read by <paramref name="read"/>; a null item stands for one with problems.</summary>
        public IReadOnlyList<T?>? List<T>(string name, bool required, Func<Fields, T?> read)
            where T : class =>
            Array(name, required)?.Select((item, i) => item.ValueKind == JsonValueKind.Object
                ? read(new Fields(item, code, $"{Join(name)}[{i}]", problems))
                : Fail<T>($"{name}[{i}]", "must be an object")).ToList();

        /// <summary>Call last: any field nobody asked for is probably misspelt.</summary>
        public void RejectUnknown()
        {
            foreach (var property in element.EnumerateObject().Where(p => !read.Contains(p.Name)))
            {
                Problem(property.Name, $"unknown field (expected one of: {string.Join(", ", read.Order(StringComparer.Ordinal))})");
            }
        }

        private Confidence? Confidence(string name) =>
            Text(name, required: true) is { } text
                ? text.Trim().ToUpperInvariant() switch
                {
                    "VERIFIED" or "V" => Jurisdictions.Confidence.Verified,
                    "SECONDARY" or "S" => Jurisdictions.Confidence.Secondary,
                    "UNCERTAIN" or "U" => Jurisdictions.Confidence.Uncertain,
                    "KNOWLEDGE" or "K" => Jurisdictions.Confidence.Knowledge,
                    _ => FailValue<Confidence>(name, $"'{text}' is not one of verified, secondary, uncertain, knowledge"),
                }
                : null;

        /// <summary>The value, or null when absent or JSON null (a problem if required).</summary>
        private JsonElement? Get(string name, bool required)
        {
            read.Add(name);
            if (element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }

            if (required)
            {
                Problem(name, "missing");
            }

            return null;
        }

        private string Join(string name) => path.Length == 0 ? name : path + "." + name;

        private T? Fail<T>(string name, string reason)
            where T : class
        {
            Problem(name, reason);
            return null;
        }

        private T? FailValue<T>(string name, string reason)
            where T : struct
        {
            Problem(name, reason);
            return null;
        }

        private bool FailFlag(string name, JsonElement value)
        {
            Problem(name, $"must be true or false, not {Show(value)}");
            return false;
        }

        public static string Show(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Show(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => $"\"{value.GetString()}\"",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            _ => value.GetRawText(),
        };
    }
}
