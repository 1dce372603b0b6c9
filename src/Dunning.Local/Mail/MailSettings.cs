using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dunning.Local.Mail;

public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which the server must offer (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Ssl,

    /// <summary>No encryption: only for a relay on this machine (127.0.0.1, ::1, localhost).</summary>
    None,
}

/// <summary>
/// How the local host sends email: <c>mail.json</c> in the data folder. Without it, email goes to <c>.eml</c> files in
/// the outbox folder. The password is never in the file: it comes from an environment variable or a secrets file.
/// </summary>
public sealed record MailSettings(
    string Host,
    int Port,
    SmtpSecurity Security,
    string? User,
    string? Password,
    string? From,
    string? FromName)
{
    public const string FileName = "mail.json";

    public const string DefaultPasswordVariable = "DUNNING_SMTP_PASSWORD";

    /// <summary>The settings of a data folder, null when it has no <c>mail.json</c>.</summary>
    /// <exception cref="MailSettingsException">The file exists but is not valid; the message lists every problem.</exception>
    public static MailSettings? Load(string dataFolder, Func<string, string?>? environment = null)
    {
        var path = Path.Combine(dataFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        environment ??= Environment.GetEnvironmentVariable;
        MailFile? file;
        try
        {
            file = JsonSerializer.Deserialize<MailFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new MailSettingsException(path, [$"not valid JSON: {e.Message}"]);
        }

        var problems = new List<string>();
        var smtp = file?.Smtp;
        if (smtp is null)
        {
            throw new MailSettingsException(path, ["smtp: missing (host, port, security, user, passwordEnv or passwordFile)"]);
        }

        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            problems.Add("smtp.host: missing");
        }

        var security = (smtp.Security ?? "starttls").ToLowerInvariant() switch
        {
            "starttls" => SmtpSecurity.StartTls,
            "ssl" or "tls" => SmtpSecurity.Ssl,
            "none" => SmtpSecurity.None,
            var other => Invalid(problems, $"smtp.security: '{other}' is not one of starttls, ssl, none"),
        };
        var port = smtp.Port ?? (security == SmtpSecurity.Ssl ? 465 : 587);
        if (port is < 1 or > 65535)
        {
            problems.Add($"smtp.port: {port} is not a TCP port");
        }

        if (security == SmtpSecurity.None && !IsLoopback(smtp.Host))
        {
            problems.Add($"smtp.security: 'none' sends the password and every message in clear; it is allowed only for a relay on this machine, not '{smtp.Host}'");
        }

        string? password = null;
        if (smtp.PasswordFile is { } secretFile)
        {
            var secretPath = Path.Combine(dataFolder, secretFile);
            if (File.Exists(secretPath))
            {
                password = File.ReadAllText(secretPath).TrimEnd('\r', '\n');
            }
            else
            {
                problems.Add($"smtp.passwordFile: {secretPath} does not exist");
            }
        }
        else
        {
            var variable = smtp.PasswordEnv ?? DefaultPasswordVariable;
            password = environment(variable);
            if (!string.IsNullOrEmpty(smtp.User) && string.IsNullOrEmpty(password))
            {
                problems.Add($"smtp.user is set but the password variable {variable} is empty (set it, or name a file in smtp.passwordFile)");
            }
        }

        if (file!.From is { } from && !LooksLikeAddress(from))
        {
            problems.Add($"from: '{from}' is not an email address");
        }

        return problems.Count > 0
            ? throw new MailSettingsException(path, problems)
            : new MailSettings(smtp.Host!, port, security, string.IsNullOrEmpty(smtp.User) ? null : smtp.User, password, file.From, file.FromName);
    }

    /// <summary>Writes a <c>mail.json</c> (never a password).</summary>
    public static void Write(string dataFolder, string host, int port, SmtpSecurity security, string? user, string? passwordEnv, string? passwordFile, string? from)
    {
        var file = new MailFile(
            new SmtpFile(host, port, security switch { SmtpSecurity.StartTls => "starttls", SmtpSecurity.Ssl => "ssl", SmtpSecurity.None => "none" }, user, passwordEnv, passwordFile),
            from,
            null);
        Directory.CreateDirectory(dataFolder);
        File.WriteAllText(Path.Combine(dataFolder, FileName), JsonSerializer.Serialize(file, Indented) + "\n");
    }

    public override string ToString() =>
        $"smtp {Host}:{Port} ({Security switch { SmtpSecurity.StartTls => "STARTTLS", SmtpSecurity.Ssl => "SSL", SmtpSecurity.None => "no TLS" }})"
        + (User is null ? string.Empty : $" as {User}");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    private static SmtpSecurity Invalid(List<string> problems, string problem)
    {
        problems.Add(problem);
        return SmtpSecurity.StartTls;
    }

    private static bool IsLoopback(string? host) =>
        host is not null && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)));

    private static bool LooksLikeAddress(string value) =>
        MimeKit.MailboxAddress.TryParse(value, out var parsed) && string.IsNullOrEmpty(parsed.Name) && parsed.Address == value.Trim() && !string.IsNullOrEmpty(parsed.Domain);

    private sealed record MailFile(SmtpFile? Smtp, string? From, string? FromName);

    private sealed record SmtpFile(string? Host, int? Port, string? Security, string? User, string? PasswordEnv, string? PasswordFile);
}

public sealed class MailSettingsException(string path, IReadOnlyList<string> problems)
    : Exception($"{path} is not valid:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
