using System.Globalization;
using System.Text.Json;
using Dunning.Common;
using Dunning.Customers;
using Dunning.Messages;

namespace Dunning.Policies;

/// <summary>A policy file that cannot be used, with every problem found in it (not just the first).</summary>
public sealed class PolicyException(IReadOnlyList<string> problems)
    : Exception("The policy is not valid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Reads a policy from JSON (docs/policy.md). Every section is optional and falls back to
/// <see cref="DefaultPolicy"/>; a section that is given replaces the default's section field by
/// field, except the ladder, which is replaced whole. Unknown properties are errors: a typo must
/// not silently leave a default in force.
/// </summary>
public static class PolicyJson
{
    /// <summary>The policy in <paramref name="path"/>, or the default when there is no file.</summary>
    public static DunningPolicy Load(string? path) =>
        path is null ? DefaultPolicy.Value : Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static DunningPolicy Parse(string json, string source = "policy")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new PolicyException([$"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}."]);
        }

        using (document)
        {
            var reader = new Reader();
            var policy = reader.Policy(document.RootElement, DefaultPolicy.Value);
            reader.Problems.AddRange(Validate(policy, i => reader.LadderIndex.Count > i ? reader.LadderIndex[i] : i));
            return reader.Problems.Count == 0 ? policy : throw new PolicyException(reader.Problems);
        }
    }

    /// <summary>Every rule a usable policy keeps; empty when the policy is fine.</summary>
    /// <param name="policy">The policy to check.</param>
    /// <param name="fileIndex">Where a ladder step was in the file, when steps with problems were left out of the policy.</param>
    public static IReadOnlyList<string> Validate(DunningPolicy policy, Func<int, int>? fileIndex = null)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(policy.GraceDays is >= 0 and <= 365, $"graceDays: {policy.GraceDays} must be between 0 and 365.");
        Check(policy.Window.Start < policy.Window.End, $"window: start {policy.Window.Start:HH\\:mm} must be before end {policy.Window.End:HH\\:mm}.");
        Check(policy.Cap.MaxContacts >= 1, $"cap.maxContacts: {policy.Cap.MaxContacts} must be at least 1.");
        Check(policy.Cap.Days is >= 1 and <= 31, $"cap.days: {policy.Cap.Days} must be between 1 and 31.");
        CheckLadder(problems, policy.Ladder, "ladder", fileIndex);
        if (policy.Pace is { } pace)
        {
            Check(pace.MinimumPaidCases is >= 1 and <= 100, $"pace.minimumPaidCases: {pace.MinimumPaidCases} must be between 1 and 100.");
            Check(pace.PromptAverageDaysLate < pace.SlowAverageDaysLate, $"pace: promptAverageDaysLate ({pace.PromptAverageDaysLate}) must be below slowAverageDaysLate ({pace.SlowAverageDaysLate}).");
            Check(pace.SlowLadder is not null || pace.PromptLadder is not null, "pace: give a slowLadder, a promptLadder or both.");
            foreach (var (ladder, name) in new[] { (pace.SlowLadder, "pace.slowLadder"), (pace.PromptLadder, "pace.promptLadder") })
            {
                if (ladder is not null)
                {
                    CheckLadder(problems, ladder, name, null);
                    Check(policy.LateCharges.ApplyAtStep is not { } step || ladder.Any(s => s.Id == step), $"{name}: has no step '{policy.LateCharges.ApplyAtStep}', where lateCharges.applyAtStep adds the charges.");
                }
            }
        }

        var plans = policy.Plans;
        Check(plans.MaxInstallments is >= 1 and <= 60, $"plans.maxInstallments: {plans.MaxInstallments} must be between 1 and 60.");
        Check(plans.MinimumInstallment >= 0, $"plans.minimumInstallment: {plans.MinimumInstallment} must not be negative.");
        Check(plans.GraceDays is >= 0 and <= 30, $"plans.graceDays: {plans.GraceDays} must be between 0 and 30.");
        Check(plans.MissesAllowed is >= 0 and <= 12, $"plans.missesAllowed: {plans.MissesAllowed} must be between 0 and 12.");
        Check(plans.MaxDaysBetweenInstallments is >= 1 and <= 366, $"plans.maxDaysBetweenInstallments: {plans.MaxDaysBetweenInstallments} must be between 1 and 366.");
        Check(plans.AnnualInterestPercent is >= 0 and <= 100, $"plans.annualInterestPercent: {plans.AnnualInterestPercent} must be between 0 and 100.");

        var charges = policy.LateCharges;
        Check(charges.ContractualFee >= 0, $"lateCharges.contractualFee: {charges.ContractualFee} must not be negative.");
        Check(charges.ContractualAnnualInterestPercent is >= 0 and <= 100, $"lateCharges.contractualAnnualInterestPercent: {charges.ContractualAnnualInterestPercent} must be between 0 and 100.");
        Check(charges.ApplyAtStep is null || policy.Ladder.Any(s => s.Id == charges.ApplyAtStep), $"lateCharges.applyAtStep: no ladder step has id '{charges.ApplyAtStep}'.");

        var resolution = policy.Resolution;
        Check(resolution.MinimumToPursue >= 0, $"resolution.minimumToPursue: {resolution.MinimumToPursue} must not be negative.");
        Check(resolution.AgencyCommissionPercent is >= 0 and < 100, $"resolution.agencyCommissionPercent: {resolution.AgencyCommissionPercent} must be at least 0 and below 100.");

        var business = policy.Business;
        Check(!string.IsNullOrWhiteSpace(business.Name), "business.name: is required (messages say who they are from).");
        Check(business.Email.Contains('@', StringComparison.Ordinal), $"business.email: '{business.Email}' is not an email address.");
        Check(business.ReplyTo is null || business.ReplyTo.Contains('@', StringComparison.Ordinal), $"business.replyTo: '{business.ReplyTo}' is not an email address.");
        Check(business.Language is null || Languages.Normalize(business.Language) is not null, $"business.language: {Languages.Problem(business.Language ?? string.Empty)}.");
        foreach (var template in new[] { business.PaymentLinkTemplate }.Concat(business.PaymentsByCurrency.Select(p => p.PaymentLinkTemplate)).OfType<string>())
        {
            Check(template.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || template.StartsWith("http://", StringComparison.OrdinalIgnoreCase),
                $"business: the payment link '{template}' must be an http(s) URL (placeholders: {{invoiceNumber}}, {{invoiceId}}, {{amount}}, {{currency}}).");
        }

        Check(!string.IsNullOrWhiteSpace(business.OwnerName), "business.ownerName: is required (final notices and letters are signed).");
        Check(business.PaymentLinkTemplate is not null || business.BankTransfer is not null || business.ChequePayableTo is not null,
            "business: give at least one way to pay (paymentLinkTemplate, bankTransfer or chequePayableTo).");
        return problems;
    }

    private static void CheckLadder(List<string> problems, ValueList<LadderStep> ladder, string name, Func<int, int>? fileIndex)
    {
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(ladder.Count > 0, $"{name}: must have at least one step.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int? previous = null;
        for (var i = 0; i < ladder.Count; i++)
        {
            var step = ladder[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{name}[{fileIndex?.Invoke(i) ?? i}]");
            Check(!string.IsNullOrWhiteSpace(step.Id), $"{at}.id: is required.");
            Check(string.IsNullOrWhiteSpace(step.Id) || seen.Add(step.Id), $"{at}.id: '{step.Id}' is used by an earlier step; step ids must be unique.");
            Check(step.DayOffset is >= -60 and <= 730, $"{at}.dayOffset: {step.DayOffset} must be between -60 and 730 days from the due date.");
            Check(previous is null || step.DayOffset >= previous, $"{at}.dayOffset: {step.DayOffset} comes before the previous step's {previous}; steps must be in order.");
            Check(Letters.Templates.Contains(step.Template), $"{at}.template: '{step.Template}' is not a template; use one of {string.Join(", ", Letters.Templates.Order(StringComparer.Ordinal))}.");
            Check(step.DeadlineDays is null or >= 1 and <= 90, $"{at}.deadlineDays: {step.DeadlineDays} must be between 1 and 90.");
            Check(step.Channel != Channel.Call || step.Template == "call", $"{at}.template: a call task uses the 'call' template (its call script), not '{step.Template}'.");
            previous = step.DayOffset;
        }
    }

    /// <summary>Reads field by field so that every problem is collected, not only the first.</summary>
    private sealed class Reader
    {
        public List<string> Problems { get; } = [];

        public List<int> LadderIndex { get; } = [];

        public DunningPolicy Policy(JsonElement root, DunningPolicy d)
        {
            if (!Object(root, "policy"))
            {
                return d;
            }

            Known(root, "policy", "graceDays", "window", "cap", "ladder", "pace", "plans", "lateCharges", "resolution", "business", "consolidate", "holdCustomerOnDispute", "$schema", "description");
            var pace = root.TryGetProperty("pace", out var p) && p.ValueKind != JsonValueKind.Null && Object(p, "pace") ? Pace(p) : d.Pace;
            return new DunningPolicy(
                Int(root, "graceDays", "graceDays") ?? d.GraceDays,
                Section(root, "window", d.Window, Window),
                Section(root, "cap", d.Cap, Cap),
                root.TryGetProperty("ladder", out var ladder) ? Ladder(ladder, "ladder") : d.Ladder,
                Section(root, "plans", d.Plans, Plans),
                Section(root, "lateCharges", d.LateCharges, Charges),
                Section(root, "resolution", d.Resolution, Resolution),
                Section(root, "business", d.Business, Business))
            {
                Pace = pace,
                Consolidate = Bool(root, "consolidate", "consolidate") ?? d.Consolidate,
                HoldCustomerOnDispute = Bool(root, "holdCustomerOnDispute", "holdCustomerOnDispute") ?? d.HoldCustomerOnDispute,
            };
        }

        private PaceRules Pace(JsonElement e)
        {
            Known(e, "pace", "minimumPaidCases", "slowAverageDaysLate", "slowLadder", "promptAverageDaysLate", "promptLadder");
            return new PaceRules(
                Int(e, "minimumPaidCases", "pace.minimumPaidCases") ?? 2,
                Int(e, "slowAverageDaysLate", "pace.slowAverageDaysLate") ?? 30,
                e.TryGetProperty("slowLadder", out var slow) && slow.ValueKind != JsonValueKind.Null ? Ladder(slow, "pace.slowLadder") : null,
                Int(e, "promptAverageDaysLate", "pace.promptAverageDaysLate") ?? 0,
                e.TryGetProperty("promptLadder", out var prompt) && prompt.ValueKind != JsonValueKind.Null ? Ladder(prompt, "pace.promptLadder") : null);
        }

        private T Section<T>(JsonElement root, string name, T fallback, Func<JsonElement, T, T> read) =>
            root.TryGetProperty(name, out var e) && Object(e, name) ? read(e, fallback) : fallback;

        private ContactWindow Window(JsonElement e, ContactWindow d)
        {
            Known(e, "window", "start", "end", "allowWeekends", "skipPublicHolidays");
            return new ContactWindow(Time(e, "start", "window.start") ?? d.Start, Time(e, "end", "window.end") ?? d.End, Bool(e, "allowWeekends", "window.allowWeekends") ?? d.AllowWeekends)
            {
                SkipPublicHolidays = Bool(e, "skipPublicHolidays", "window.skipPublicHolidays") ?? d.SkipPublicHolidays,
            };
        }

        private FrequencyCap Cap(JsonElement e, FrequencyCap d)
        {
            Known(e, "cap", "maxContacts", "days");
            return new FrequencyCap(Int(e, "maxContacts", "cap.maxContacts") ?? d.MaxContacts, Int(e, "days", "cap.days") ?? d.Days);
        }

        private ValueList<LadderStep> Ladder(JsonElement e, string name)
        {
            var main = name == "ladder";
            if (e.ValueKind != JsonValueKind.Array)
            {
                Problems.Add($"{name}: must be an array of steps.");
                return ValueList<LadderStep>.Empty;
            }

            var steps = new List<LadderStep>();
            var i = 0;
            foreach (var s in e.EnumerateArray())
            {
                var at = string.Create(CultureInfo.InvariantCulture, $"{name}[{i++}]");
                if (!Object(s, at))
                {
                    continue;
                }

                Known(s, at, "id", "dayOffset", "channel", "tone", "role", "template", "deadlineDays");
                var id = String(s, "id", at + ".id", required: true);
                var offset = Int(s, "dayOffset", at + ".dayOffset", required: true);
                var channel = Enum<Channel>(s, "channel", at + ".channel", required: true);
                var tone = Enum<Tone>(s, "tone", at + ".tone", required: true);
                var role = Enum<ContactRole>(s, "role", at + ".role") ?? ContactRole.Billing;
                var template = String(s, "template", at + ".template") ?? id;
                var deadline = Int(s, "deadlineDays", at + ".deadlineDays");
                if (id is not null && offset is { } o && channel is { } c && tone is { } t)
                {
                    steps.Add(new LadderStep(id, o, c, t, role, template!, deadline));
                    if (main)
                    {
                        LadderIndex.Add(i - 1);
                    }
                }
                else if (template is not null && !Letters.Templates.Contains(template))
                {
                    // The step is dropped for its other problems; its template must still be reported.
                    Problems.Add($"{at}.template: '{template}' is not a template.");
                }
            }

            return steps.ToValueList();
        }

        private PlanRules Plans(JsonElement e, PlanRules d)
        {
            Known(e, "plans", "maxInstallments", "minimumInstallment", "graceDays", "missesAllowed", "maxDaysBetweenInstallments", "annualInterestPercent");
            return new PlanRules(
                Int(e, "maxInstallments", "plans.maxInstallments") ?? d.MaxInstallments,
                Decimal(e, "minimumInstallment", "plans.minimumInstallment") ?? d.MinimumInstallment,
                Int(e, "graceDays", "plans.graceDays") ?? d.GraceDays,
                Int(e, "missesAllowed", "plans.missesAllowed") ?? d.MissesAllowed,
                Int(e, "maxDaysBetweenInstallments", "plans.maxDaysBetweenInstallments") ?? d.MaxDaysBetweenInstallments,
                Decimal(e, "annualInterestPercent", "plans.annualInterestPercent") ?? d.AnnualInterestPercent);
        }

        private LateChargeRules Charges(JsonElement e, LateChargeRules d)
        {
            Known(e, "lateCharges", "contractualFee", "contractualAnnualInterestPercent", "claimStatutory", "applyAtStep");
            return new LateChargeRules(
                Decimal(e, "contractualFee", "lateCharges.contractualFee") ?? d.ContractualFee,
                Decimal(e, "contractualAnnualInterestPercent", "lateCharges.contractualAnnualInterestPercent") ?? d.ContractualAnnualInterestPercent,
                Bool(e, "claimStatutory", "lateCharges.claimStatutory") ?? d.ClaimStatutory,
                e.TryGetProperty("applyAtStep", out var step) && step.ValueKind == JsonValueKind.Null ? null : String(e, "applyAtStep", "lateCharges.applyAtStep") ?? d.ApplyAtStep);
        }

        private ResolutionRules Resolution(JsonElement e, ResolutionRules d)
        {
            Known(e, "resolution", "minimumToPursue", "agencyCommissionPercent", "plaintiff", "preferAgency", "minimumToPursueByCurrency");
            var rules = new ResolutionRules(
                Decimal(e, "minimumToPursue", "resolution.minimumToPursue") ?? d.MinimumToPursue,
                Decimal(e, "agencyCommissionPercent", "resolution.agencyCommissionPercent") ?? d.AgencyCommissionPercent,
                Enum<Plaintiff>(e, "plaintiff", "resolution.plaintiff") ?? d.Plaintiff,
                Bool(e, "preferAgency", "resolution.preferAgency") ?? d.PreferAgency)
            {
                MinimumToPursueByCurrency = d.MinimumToPursueByCurrency,
            };
            if (e.TryGetProperty("minimumToPursueByCurrency", out var byCurrency) && Object(byCurrency, "resolution.minimumToPursueByCurrency"))
            {
                var minimums = new List<Money>();
                foreach (var p in byCurrency.EnumerateObject())
                {
                    var at = "resolution.minimumToPursueByCurrency." + p.Name;
                    if (!Currencies.IsValid(p.Name))
                    {
                        Problems.Add($"{at}: '{p.Name}' is not an ISO 4217 currency code.");
                    }
                    else if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDecimal(out var amount) || amount < 0)
                    {
                        Problems.Add($"{at}: must be a number of at least 0.");
                    }
                    else
                    {
                        minimums.Add(new Money(amount, p.Name));
                    }
                }

                rules = rules with { MinimumToPursueByCurrency = minimums.ToValueList() };
            }

            return rules;
        }

        private BusinessProfile Business(JsonElement e, BusinessProfile d)
        {
            Known(e, "business", "name", "email", "replyTo", "ownerName", "phone", "address", "paymentLinkTemplate", "bankTransfer", "chequePayableTo", "chequeAddress", "ownerNote", "paymentsByCurrency", "language");
            string? Optional(string name, string? fallback) =>
                e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null ? null : String(e, name, "business." + name) ?? fallback;
            return new BusinessProfile(
                String(e, "name", "business.name") ?? d.Name,
                String(e, "email", "business.email") ?? d.Email,
                String(e, "ownerName", "business.ownerName") ?? d.OwnerName,
                Optional("phone", d.Phone),
                Optional("address", d.Address),
                Optional("paymentLinkTemplate", d.PaymentLinkTemplate),
                Optional("bankTransfer", d.BankTransfer),
                Optional("chequePayableTo", d.ChequePayableTo),
                Optional("chequeAddress", d.ChequeAddress),
                Optional("ownerNote", d.OwnerNote))
            {
                ReplyTo = Optional("replyTo", d.ReplyTo),
                Language = Optional("language", d.Language),
                PaymentsByCurrency = e.TryGetProperty("paymentsByCurrency", out var byCurrency) ? PaymentsByCurrency(byCurrency) : d.PaymentsByCurrency,
            };
        }

        private ValueList<CurrencyPayment> PaymentsByCurrency(JsonElement e)
        {
            if (!Object(e, "business.paymentsByCurrency"))
            {
                return ValueList<CurrencyPayment>.Empty;
            }

            var payments = new List<CurrencyPayment>();
            foreach (var p in e.EnumerateObject())
            {
                var at = "business.paymentsByCurrency." + p.Name;
                if (!Currencies.IsValid(p.Name))
                {
                    Problems.Add($"{at}: '{p.Name}' is not an ISO 4217 currency code.");
                    continue;
                }

                if (!Object(p.Value, at))
                {
                    continue;
                }

                Known(p.Value, at, "paymentLinkTemplate", "bankTransfer", "chequePayableTo", "chequeAddress");
                var payment = new CurrencyPayment(
                    p.Name,
                    String(p.Value, "paymentLinkTemplate", at + ".paymentLinkTemplate"),
                    String(p.Value, "bankTransfer", at + ".bankTransfer"),
                    String(p.Value, "chequePayableTo", at + ".chequePayableTo"),
                    String(p.Value, "chequeAddress", at + ".chequeAddress"));
                if (payment is { PaymentLinkTemplate: null, BankTransfer: null, ChequePayableTo: null })
                {
                    Problems.Add($"{at}: give at least one way to pay (paymentLinkTemplate, bankTransfer or chequePayableTo).");
                }

                payments.Add(payment);
            }

            return payments.ToValueList();
        }

        private bool Object(JsonElement e, string at)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Problems.Add($"{at}: must be an object.");
            return false;
        }

        private void Known(JsonElement e, string at, params string[] names)
        {
            foreach (var p in e.EnumerateObject().Where(p => !names.Contains(p.Name, StringComparer.Ordinal)))
            {
                Problems.Add($"{at}: unknown property '{p.Name}' (expected one of {string.Join(", ", names.Where(n => !n.StartsWith('$')))}).");
            }
        }

        private bool Missing(JsonElement e, string name, string at, bool required)
        {
            if (e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                return false;
            }

            if (required)
            {
                Problems.Add($"{at}: is required.");
            }

            return true;
        }

        private int? Int(JsonElement e, string name, string at, bool required = false)
        {
            if (Missing(e, name, at, required))
            {
                return null;
            }

            var v = e.GetProperty(name);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
            {
                return i;
            }

            Problems.Add($"{at}: must be a whole number, not {v.GetRawText()}.");
            return null;
        }

        private decimal? Decimal(JsonElement e, string name, string at)
        {
            if (Missing(e, name, at, required: false))
            {
                return null;
            }

            var v = e.GetProperty(name);
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d))
            {
                return d;
            }

            Problems.Add($"{at}: must be a number, not {v.GetRawText()}.");
            return null;
        }

        private bool? Bool(JsonElement e, string name, string at)
        {
            if (Missing(e, name, at, required: false))
            {
                return null;
            }

            var v = e.GetProperty(name);
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return v.GetBoolean();
            }

            Problems.Add($"{at}: must be true or false, not {v.GetRawText()}.");
            return null;
        }

        private string? String(JsonElement e, string name, string at, bool required = false)
        {
            if (Missing(e, name, at, required))
            {
                return null;
            }

            var v = e.GetProperty(name);
            if (v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
            {
                return v.GetString()!.Trim();
            }

            Problems.Add($"{at}: must be a non-empty string, not {v.GetRawText()}.");
            return null;
        }

        private TimeOnly? Time(JsonElement e, string name, string at)
        {
            var text = String(e, name, at);
            if (text is null)
            {
                return null;
            }

            if (TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                return time;
            }

            Problems.Add($"{at}: '{text}' is not a time of day like \"08:00\".");
            return null;
        }

        private T? Enum<T>(JsonElement e, string name, string at, bool required = false)
            where T : struct, Enum
        {
            var text = String(e, name, at, required);
            if (text is null)
            {
                return null;
            }

            var values = System.Enum.GetValues<T>().ToDictionary(v => Kebab(v.ToString()), v => v, StringComparer.OrdinalIgnoreCase);
            if (values.TryGetValue(text, out var value))
            {
                return value;
            }

            Problems.Add($"{at}: '{text}' is not one of {string.Join(", ", values.Keys)}.");
            return null;
        }

        private static string Kebab(string pascal) =>
            string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }
}
