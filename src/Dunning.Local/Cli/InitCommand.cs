using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dunning.Policies;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary>
/// <c>dunning init</c>: the business profile every message carries (who it is from, how to reach you, every way to pay,
/// per currency), written to the data folder's <c>policy.json</c>. Until it is done, <c>import</c>, <c>run</c> and
/// <c>serve</c> refuse to contact anyone.
/// </summary>
internal static class InitCommand
{
    public static Command Init()
    {
        var name = new Option<string?>("--name") { Description = "Your business's name, as customers know it", HelpName = "TEXT" };
        var email = new Option<string?>("--email") { Description = "The address messages come from", HelpName = "ADDRESS" };
        var replyTo = new Option<string?>("--reply-to") { Description = "Where replies go, if not --email", HelpName = "ADDRESS" };
        var owner = new Option<string?>("--owner") { Description = "Who signs final notices and letters", HelpName = "NAME" };
        var phone = new Option<string?>("--phone") { Description = "Your phone number, printed on every message", HelpName = "TEXT" };
        var address = new Option<string?>("--address") { Description = "Your postal address, one line (letters)", HelpName = "TEXT" };
        var link = new Option<string?>("--payment-link") { Description = "Per-invoice payment page, e.g. https://pay.you.example/i/{invoiceNumber} ({invoiceId}, {amount}, {currency} too)", HelpName = "URL" };
        var bank = new Option<string?>("--bank-transfer") { Description = "Bank details, e.g. \"Sort code 00-00-00, account 00000000, reference {invoiceNumber}\"", HelpName = "TEXT" };
        var payee = new Option<string?>("--cheque-payable-to") { Description = "Who cheques are payable to", HelpName = "NAME" };
        var chequeAddress = new Option<string?>("--cheque-address") { Description = "Where cheques are posted", HelpName = "TEXT" };
        var language = new Option<string?>("--language") { Description = "The language of customers whose record names none: an IETF tag of en, de, fr or es (e.g. de-DE); default en", HelpName = "TAG" };
        var linkFor = new Option<string[]>("--payment-link-for") { Description = "A payment link for one currency: EUR=https://… (repeat per currency)", HelpName = "CUR=URL", AllowMultipleArgumentsPerToken = false };
        var bankFor = new Option<string[]>("--bank-transfer-for") { Description = "Bank details for one currency: EUR=\"IBAN …, BIC …\" (repeat per currency)", HelpName = "CUR=TEXT", AllowMultipleArgumentsPerToken = false };
        var command = new Command("init",
            "Write your business profile to <data>/policy.json: name, sender and reply-to addresses, phone, postal address and every way to pay, " +
            "per currency. Asks for what is missing when run in a terminal. Until it is done, import, run and serve refuse to contact anyone.")
        {
            name, email, replyTo, owner, phone, address, link, bank, payee, chequeAddress, language, linkFor, bankFor,
        };
        command.SetAction(parse =>
        {
            var data = CommandLine.DataFolder(parse);
            var ask = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            string? Value(Option<string?> option, string question, bool required)
            {
                var given = parse.GetValue(option);
                if (!string.IsNullOrWhiteSpace(given) || !ask)
                {
                    return string.IsNullOrWhiteSpace(given) ? null : given.Trim();
                }

                var prompt = new TextPrompt<string>(question) { AllowEmpty = !required };
                var answer = AnsiConsole.Prompt(prompt);
                return string.IsNullOrWhiteSpace(answer) ? null : answer.Trim();
            }

            var business = new JsonObject
            {
                ["name"] = Value(name, "Business name:", required: true),
                ["email"] = Value(email, "Address messages come from:", required: true),
                ["replyTo"] = Value(replyTo, "Reply-to address (empty: the same):", required: false),
                ["ownerName"] = Value(owner, "Who signs final notices and letters:", required: true),
                ["phone"] = Value(phone, "Phone (empty: none):", required: false),
                ["address"] = Value(address, "Postal address, one line (empty: none):", required: false),
                ["paymentLinkTemplate"] = Value(link, "Payment link with {invoiceNumber} (empty: none):", required: false),
                ["bankTransfer"] = Value(bank, "Bank transfer details (empty: none):", required: false),
                ["chequePayableTo"] = Value(payee, "Cheques payable to (empty: no cheques):", required: false),
                ["chequeAddress"] = Value(chequeAddress, "Cheques posted to (empty: the postal address):", required: false),
                ["language"] = Value(language, "Customers' language when their record names none, en/de/fr/es (empty: en):", required: false),
            };
            if (business["chequePayableTo"] is not null && business["chequeAddress"] is null && business["address"] is { } postal)
            {
                business["chequeAddress"] = postal.GetValue<string>();
            }

            var missing = new[] { ("name", "--name"), ("email", "--email"), ("ownerName", "--owner") }
                .Where(f => business[f.Item1] is null).Select(f => $"{f.Item2}: required").ToList();
            if (missing.Count > 0)
            {
                throw new CliException("The business profile is incomplete; nothing was written.", missing);
            }

            var byCurrency = new JsonObject();
            foreach (var (values, field, option) in new[] { (parse.GetValue(linkFor) ?? [], "paymentLinkTemplate", "--payment-link-for"), (parse.GetValue(bankFor) ?? [], "bankTransfer", "--bank-transfer-for") })
            {
                foreach (var pair in values)
                {
                    var split = pair.IndexOf('=', StringComparison.Ordinal);
                    if (split != 3)
                    {
                        throw new CliException($"{option}: '{pair}' is not CUR=VALUE (a three-letter currency code, '=', then the value).");
                    }

                    var currency = pair[..3].ToUpperInvariant();
                    var entry = byCurrency[currency] as JsonObject ?? new JsonObject();
                    entry[field] = pair[4..].Trim();
                    byCurrency[currency] = entry;
                }
            }

            if (byCurrency.Count > 0)
            {
                business["paymentsByCurrency"] = byCurrency;
            }

            var path = Path.Combine(data, "policy.json");
            var policy = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliException($"{path} is not a JSON object.") : new JsonObject();
            policy["business"] = business;
            Directory.CreateDirectory(data);
            var temp = path + ".tmp";
            File.WriteAllText(temp, policy.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            try
            {
                var loaded = PolicyJson.Load(temp);
                if (DefaultPolicy.PlaceholdersIn(loaded.Business) is { Count: > 0 } left)
                {
                    throw new CliException("These are still the sample placeholders; nothing was written.", [.. left]);
                }
            }
            catch
            {
                File.Delete(temp);
                throw;
            }

            File.Move(temp, path, overwrite: true);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Wrote the business profile of {business["name"]!.GetValue<string>()} to {path}.");
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Next: dunning --data {data} import --customers customers.csv --invoices invoices.csv (and 'dunning mail setup' to send email for real).");
            return CommandLine.Ok;
        });
        return command;
    }
}
