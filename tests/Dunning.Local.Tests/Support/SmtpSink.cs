using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Dunning.Local.Tests.Support;

/// <summary>
/// A fact that needs a real SMTP server (Debian's python3-aiosmtpd, driven by Mail/smtp_sink.py): reported as skipped,
/// with the reason, where it cannot run. Never passes without one.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SmtpFactAttribute : FactAttribute
{
    public SmtpFactAttribute()
    {
        if (SmtpSink.Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A real SMTP server on 127.0.0.1 (a free port), writing every message it accepts to a folder, whole, as received.
/// <see cref="RefuseNext"/> makes it answer 451 to the next messages; RCPT TO nobody@… gets 550. Killed on dispose.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    /// <summary>DUNNING_PYTHON, else Debian's /usr/bin/python3 (which sees the apt-installed aiosmtpd).</summary>
    public static readonly string Python = Environment.GetEnvironmentVariable("DUNNING_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static readonly Lazy<string?> Unavailable = new(() =>
    {
        const string Install = "apt-get install -y python3-aiosmtpd";
        if (!File.Exists(Python))
        {
            return $"No SMTP server for the mail tests: {Python} does not exist ({Install}, or set DUNNING_PYTHON).";
        }

        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true })!;
        probe.WaitForExit(30_000);
        return probe.ExitCode == 0 ? null : $"No SMTP server for the mail tests: {Python} cannot import aiosmtpd ({Install}).";
    });

    private readonly Process process;

    public SmtpSink(TempFolder folder, int? port = null)
    {
        Folder = folder.Combine("smtp-received-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        Port = port ?? FreePort();
        var script = Path.Combine(AppContext.BaseDirectory, "Mail", "smtp_sink.py");
        process = Process.Start(new ProcessStartInfo(Python, [script, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--folder", Folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var ready = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        if (ready is null || !ready.StartsWith("ready", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"The SMTP server did not start: {ready} {process.StandardError.ReadToEnd()}");
        }
    }

    public int Port { get; }

    public string Folder { get; }

    /// <summary>The next <paramref name="count"/> messages are refused with 451 (try again later).</summary>
    public void RefuseNext(int count) => File.WriteAllText(Path.Combine(Folder, "refuse"), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every message the server accepted, in the order it accepted them.</summary>
    public IReadOnlyList<MimeMessage> Received() =>
        [.. Directory.EnumerateFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    /// <summary>A port nothing listens on (for "the server is down").</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
