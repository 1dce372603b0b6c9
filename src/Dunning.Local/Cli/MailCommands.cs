using System.CommandLine;
using System.Globalization;
using Dunning.Local.Mail;
using Dunning.Ports;
using Spectre.Console;

namespace Dunning.Local.Cli;

/// <summary><c>dunning mail</c>: set up SMTP delivery, send a test message, see and retry the queue.</summary>
internal static class MailCommands
{
    public static Command Mail()
    {
        var command = new Command("mail", "Email delivery. Without <data>/mail.json, email is written as .eml files to <data>/outbox/; " +
            "with it, email goes to your SMTP server through a queue in the data folder (retried with back-off, each message sent at most once).")
        {
            Setup(),
            Test(),
            Status(),
            Retry(),
        };
        return command;
    }

    private static Command Setup()
    {
        var host = new Option<string>("--host") { Description = "SMTP server, e.g. smtp.yourprovider.example", Required = true };
        var port = new Option<int?>("--port") { Description = "Port [default: 587 for starttls, 465 for ssl]" };
        var security = new Option<string>("--security") { Description = "starttls, ssl, or none (none only for a relay on this machine)", DefaultValueFactory = _ => "starttls" };
        security.AcceptOnlyFromAmong("starttls", "ssl", "none");
        var user = new Option<string?>("--user") { Description = "Login name, if the server asks for one" };
        var passwordEnv = new Option<string?>("--password-env") { Description = $"Environment variable holding the password [default: {MailSettings.DefaultPasswordVariable}]", HelpName = "VAR" };
        var passwordFile = new Option<string?>("--password-file") { Description = "A file in the data folder holding the password (instead of the variable)", HelpName = "FILE" };
        var from = new Option<string?>("--from") { Description = "The address messages are sent from, when your server only sends as its own account (the business's address gets the replies)", HelpName = "ADDRESS" };
        var command = new Command("setup", "Write <data>/mail.json: where and how to send email. The password is never written there.")
        {
            host, port, security, user, passwordEnv, passwordFile, from,
        };
        command.SetAction(parse =>
        {
            var data = CommandLine.DataFolder(parse);
            var mode = parse.GetValue(security) switch
            {
                "ssl" => SmtpSecurity.Ssl,
                "none" => SmtpSecurity.None,
                _ => SmtpSecurity.StartTls,
            };
            MailSettings.Write(data, parse.GetValue(host)!, parse.GetValue(port) ?? (mode == SmtpSecurity.Ssl ? 465 : 587), mode,
                parse.GetValue(user), parse.GetValue(passwordEnv), parse.GetValue(passwordFile), parse.GetValue(from));
            var settings = CommandLine.Mail(data);
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Wrote {Path.Combine(data, MailSettings.FileName)}: {settings}. Try it: dunning mail test --to you@yourbusiness.example");
            return CommandLine.Ok;
        });
        return command;
    }

    private static Command Test()
    {
        var to = new Option<string>("--to") { Description = "Where to send the test message", HelpName = "ADDRESS", Required = true };
        var command = new Command("test", "Send one test message now, from the business's address, and say what the server answered.") { to };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommandLine.DataFolder(parse);
            var policy = CommandLine.Policy(parse, data);
            var business = policy.Business;
            var now = DateTimeOffset.UtcNow;
            var email = new OutgoingEmail(
                "mail-test/" + now.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture),
                business.Email,
                business.Name,
                parse.GetValue(to)!,
                string.Empty,
                $"Test message from {business.Name}",
                $"This is a test message from dunning for {business.Name}. If you can read it, email from dunning reaches this mailbox.\n",
                $"<p>This is a test message from dunning for {System.Net.WebUtility.HtmlEncode(business.Name)}. If you can read it, email from dunning reaches this mailbox.</p>");
            if (CommandLine.Mail(data) is not { } settings)
            {
                var pickup = new PickupMailer(Path.Combine(data, "outbox"), TimeProvider.System, business.ReplyTo);
                await SendOrExplainAsync(() => pickup.SendAsync(email, ct));
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"No {MailSettings.FileName} in {data}: the test message was written to {pickup.PathFor(email.Key)}. Set up SMTP with 'dunning mail setup' (docs/local-host.md).");
                return CommandLine.Ok;
            }

            var sent = settings.From is { } sender ? email with { From = sender } : email;
            using var message = await SendOrExplainAsync(() => Task.FromResult(MimeMail.Build(sent, now, settings.From is not null ? business.ReplyTo ?? business.Email : business.ReplyTo)));
            try
            {
                await SmtpDelivery.SendNowAsync(settings, message, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CliException($"The test message was not sent through {settings}: {e.Message}");
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Sent a test message to {parse.GetValue(to)} through {settings} (Message-ID <{message.MessageId}>).");
            return CommandLine.Ok;
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "List the SMTP queue: what was sent, what waits for a retry and when, and what is parked and why.");
        command.SetAction(parse =>
        {
            var app = Commands.Open(parse);
            if (app.Delivery is null)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"No {MailSettings.FileName}: email is written as .eml files to {app.OutboxFolder}.");
                return CommandLine.Ok;
            }

            var table = new Table().AddColumns("key", "to", "status", "attempts", "next attempt", "reason");
            foreach (var m in SmtpDelivery.List(app.Database))
            {
                table.AddRow(
                    Markup.Escape(m.Key), Markup.Escape(m.Recipient), m.Status, m.Attempts.ToString(CultureInfo.InvariantCulture),
                    m.NextAttemptAt is { } next ? next.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : string.Empty,
                    Markup.Escape(m.Reason ?? string.Empty));
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Mail through {app.Delivery.Settings}:");
            AnsiConsole.Write(table);
            return CommandLine.Ok;
        });
        return command;
    }

    private static Command Retry()
    {
        var key = new Argument<string>("KEY") { Description = "The key of a parked message (dunning mail status)" };
        var command = new Command("retry", "Put a parked message back in the queue, to be sent at the next delivery round.") { key };
        command.SetAction(parse =>
        {
            var app = Commands.Open(parse);
            var text = parse.GetValue(key)!;
            if (app.Delivery is null || !SmtpDelivery.Requeue(app.Database, text, app.Clock.GetUtcNow()))
            {
                throw new CliException($"There is no parked message '{text}' (see 'dunning mail status').");
            }

            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{text} is queued again.");
            return CommandLine.Ok;
        });
        return command;
    }

    private static async Task<T> SendOrExplainAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (InvalidRecipientException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static Task SendOrExplainAsync(Func<Task> work) => SendOrExplainAsync(async () =>
    {
        await work();
        return true;
    });
}
