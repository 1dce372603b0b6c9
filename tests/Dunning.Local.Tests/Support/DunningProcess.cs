using System.Diagnostics;

namespace Dunning.Local.Tests.Support;

/// <summary>The real <c>dunning</c> executable (dunning.dll beside the tests, run by the dotnet host) as a child process.</summary>
public static class DunningProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "dunning.dll");

    /// <summary>The dotnet host running the tests (the SDK says where), else the one on the PATH.</summary>
    public static string DotNet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        Assert.True(File.Exists(Dll), $"dunning.dll is not beside the tests at {Dll}");
        var info = new ProcessStartInfo(DotNet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>) and returns the exit code and both outputs.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"dunning {string.Join(' ', args)} did not finish in {timeout}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
