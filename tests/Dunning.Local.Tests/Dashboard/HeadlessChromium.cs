using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Dunning.Local.Tests.Support;

namespace Dunning.Local.Tests.Dashboard;

/// <summary>
/// Headless Chromium on one page, driven over the Chrome DevTools Protocol: a fresh profile, a DevTools port the OS
/// picks (read from <c>DevToolsActivePort</c>), and a minimal client that sends <c>{id, method, params}</c> and reads
/// until the answer with that id. Disposing kills Chromium's whole process tree and deletes the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process process;
    private readonly TempFolder profile;
    private readonly ConcurrentQueue<string> log = new();
    private readonly ClientWebSocket socket = new();
    private int lastId;

    private HeadlessChromium(Process process, TempFolder profile)
    {
        this.process = process;
        this.profile = profile;
    }

    /// <summary>Starts Chromium on <paramref name="page"/> and connects to that page's DevTools socket.</summary>
    public static async Task<HeadlessChromium> OpenAsync(Uri page, CancellationToken ct)
    {
        var profile = new TempFolder("dunning-cdp");
        var start = new ProcessStartInfo(ChromiumFactAttribute.Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", $"--user-data-dir={profile.Path}",
            "--lang=en-US", "--window-size=1280,1600", page.ToString(),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LANG"] = "en_US.UTF-8";
        var chromium = new HeadlessChromium(Process.Start(start)!, profile);
        try
        {
            chromium.process.OutputDataReceived += (_, e) => chromium.Keep(e.Data);
            chromium.process.ErrorDataReceived += (_, e) => chromium.Keep(e.Data);
            chromium.process.BeginOutputReadLine();
            chromium.process.BeginErrorReadLine();
            var port = await chromium.DevToolsPortAsync(ct);
            await chromium.socket.ConnectAsync(await chromium.PageSocketAsync(port, ct), ct);
            await chromium.LoadedAsync(page, ct);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runtime.evaluate with awaitPromise: the expression's value (by value), or the page's exception as a failure.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }, ct);
        if (result["exceptionDetails"] is { } failed)
        {
            throw new InvalidOperationException($"The page threw: {failed["exception"]?["description"] ?? failed["text"]}");
        }

        return result["result"]?["value"];
    }

    /// <summary>Waits (polling every 50 ms, inside the page) until <paramref name="condition"/> is truthy and returns its value.</summary>
    public async Task<JsonNode> UntilAsync(string condition, string what, CancellationToken ct, int milliseconds = 10_000)
    {
        var value = await EvaluateAsync($$"""
            new Promise((resolve) => {
              const started = Date.now();
              const poll = () => {
                let value = null;
                try { value = ({{condition}}); } catch { value = null; }
                if (value) resolve(value instanceof Node ? true : value);
                else if (Date.now() - started > {{milliseconds}}) resolve(null);
                else setTimeout(poll, 50);
              };
              poll();
            })
            """, ct);
        if (value is null)
        {
            var page = await EvaluateAsync("`${location.href}: ${(document.querySelector('dialog[open]') || document.body).innerText.slice(0, 1500)}`", ct);
            throw new TimeoutException($"Waited {milliseconds} ms for {what}. The page reads: {page} Chromium said: {Said()}");
        }

        return value;
    }

    /// <summary>One DevTools command; events and other answers that arrive first are skipped.</summary>
    public async Task<JsonNode> SendAsync(string method, JsonObject parameters, CancellationToken ct)
    {
        var id = ++lastId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, ct);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            text.SetLength(0);
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException($"Chromium closed the DevTools connection during {method}. It said: {Said()}");
                }

                text.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            var reply = JsonNode.Parse(text.ToArray())!;
            if (reply["id"]?.GetValue<int>() == id)
            {
                return reply["error"] is { } error
                    ? throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}")
                    : reply["result"]!;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        socket.Dispose();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or not gone within 10 s: nothing more a test can do; the profile is still deleted.
        }
        finally
        {
            process.Dispose();
            profile.Dispose();
        }
    }

    /// <summary>Waits until the page is <paramref name="page"/> and loaded (evaluating while it navigates fails: asked again).</summary>
    private async Task LoadedAsync(Uri page, CancellationToken ct)
    {
        var loaded = $"location.href === '{page}' && document.readyState === 'complete'";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await EvaluateAsync(loaded, ct) is { } done && done.GetValue<bool>())
                {
                    return;
                }
            }
            catch (InvalidOperationException) when (attempt < 200)
            {
                // "Execution context was destroyed": the navigation from about:blank to the page happened meanwhile.
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>The port Chromium wrote to the profile's DevToolsActivePort (first line: port; second: the browser's path).</summary>
    private async Task<int> DevToolsPortAsync(CancellationToken ct)
    {
        var file = profile.Combine("DevToolsActivePort");
        while (true)
        {
            if (File.Exists(file) && File.ReadAllLines(file) is [var first, _, ..] && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return port;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chromium exited ({process.ExitCode}) before it opened DevTools. It said: {Said()}");
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>The page target's webSocketDebuggerUrl, from GET /json/list.</summary>
    private async Task<Uri> PageSocketAsync(int port, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var list = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/json/list");
        while (true)
        {
            var targets = JsonNode.Parse(await http.GetStringAsync(list, ct))!.AsArray();
            if (targets.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>() is { } socketUrl)
            {
                return new Uri(socketUrl);
            }

            await Task.Delay(50, ct);
        }
    }

    private void Keep(string? line)
    {
        if (line is null || line.Contains("dbus", StringComparison.Ordinal))
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > 20 && log.TryDequeue(out _))
        {
        }
    }

    private string Said() => log.IsEmpty ? "nothing" : string.Join(" | ", log);
}
