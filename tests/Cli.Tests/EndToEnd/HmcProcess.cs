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

    public static Task<ProcessResult> Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, columns: null, interruptWhen: null, args);

    /// <summary>Runs hmc with <paramref name="environment"/> added to (a null value: removed from) this process's variables.</summary>
    public static Task<ProcessResult> Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(workingDirectory, columns: null, interruptWhen: null, environment, args);

    public static Task<ProcessResult> Run(string workingDirectory, int? columns, Func<string, bool>? interruptWhen, params string[] args) =>
        Run(workingDirectory, columns, interruptWhen, null, args);

    /// <summary>
    /// Runs hmc with <c>COLUMNS</c> set to <paramref name="columns"/> (unset when null, whatever the test runner's
    /// terminal says) and, when <paramref name="interruptWhen"/> is given, sends it SIGINT (Ctrl+C) as soon as a line
    /// it writes on stderr satisfies it.
    /// </summary>
    private static async Task<ProcessResult> Run(string workingDirectory, int? columns, Func<string, bool>? interruptWhen,
        IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        Assert.True(File.Exists(CliDll), $"the CLI was not built next to the tests: {CliDll}");
        // A command started in the background by a shell without job control (a CI step, `cmd &` in a script) has
        // SIGINT ignored, and a child inherits that: the runtime then leaves it ignored, as Ctrl+C should be for a
        // background job, and hmc would never see the interrupt. A test that sends one starts hmc with the default.
        var start = new ProcessStartInfo(interruptWhen is null ? DotnetHost() : "env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Remove("COLUMNS");
        if (columns is { } c) start.Environment["COLUMNS"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        if (interruptWhen is not null)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(DotnetHost());
        }
        start.ArgumentList.Add(CliDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = ReadError(process, interruptWhen);
        using var hang = new CancellationTokenSource(HangLimit);
        try
        {
            await process.WaitForExitAsync(hang.Token);
        }
        catch (OperationCanceledException)
        {
            var ignored = SignalsIgnored(process.Id);
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hmc {string.Join(' ', args)} still ran after {HangLimit} ({ignored}):\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> ReadError(Process process, Func<string, bool>? interruptWhen)
    {
        var text = new System.Text.StringBuilder();
        var sent = interruptWhen is null;
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            if (sent || !interruptWhen!(line)) continue;
            sent = true;
            Assert.True(Interrupt(process.Id) == 0, $"could not send SIGINT to {process.Id}");
        }
        return text.ToString();
    }

    /// <summary>The signals a process ignores (its SigIgn mask), to tell a missed Ctrl+C from a slow one.</summary>
    private static string SignalsIgnored(int pid)
    {
        var status = $"/proc/{pid}/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is null ? "its signal mask is unknown" : $"ignored signals {line["SigIgn:".Length..].Trim()}";
    }

    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Interrupt(int pid, int signal = SigInt);

    /// <summary>The host running these tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
