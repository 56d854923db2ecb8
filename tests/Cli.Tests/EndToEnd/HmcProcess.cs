using System.Diagnostics;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>What a run of the built CLI returned and printed.</summary>
internal sealed record ProcessResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the CLI exactly as users do, as a separate process: <c>dotnet HighMemConcurrency.Cli.dll ...</c>, using the
/// build the project reference copied next to the test assembly (built once, never <c>dotnet run</c> per test).
/// </summary>
internal static class HmcProcess
{
    /// <summary>A run that outlives this is a hang: it is killed and the test fails with its output so far.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(2);

    public static string CliDll { get; } = Path.Combine(AppContext.BaseDirectory, "HighMemConcurrency.Cli.dll");

    public static async Task<ProcessResult> Run(string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(CliDll), $"the CLI was not built next to the tests: {CliDll}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(HangLimit);
        try
        {
            await process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hmc {string.Join(' ', args)} still ran after {HangLimit}:\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
