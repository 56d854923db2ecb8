using System.Diagnostics;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// N busy-spinning child processes of this program (<c>--spin</c>), standing in for a loaded CI runner or laptop:
/// each keeps one CPU busy in user mode and never sleeps, which is what the handoff must hold up against.
/// </summary>
public sealed class BackgroundLoad : IDisposable
{
    /// <summary>The argument that turns this program into one spinner.</summary>
    public const string SpinArgument = "--spin";

    private readonly List<Process> _spinners = [];

    public BackgroundLoad(int processes)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start spinners");
        // Started as `dotnet Benchmarks.dll`, the process is the dotnet host: the spinner needs the assembly too.
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [typeof(BackgroundLoad).Assembly.Location, SpinArgument]
            : [SpinArgument];
        for (var i = 0; i < processes; i++)
        {
            var start = new ProcessStartInfo(self, arguments) { UseShellExecute = false, RedirectStandardInput = true };
            _spinners.Add(Process.Start(start) ?? throw new InvalidOperationException("could not start a spinner"));
        }
        Thread.Sleep(300);   // let them start; a spinner that is gone already was never load
        if (_spinners.FirstOrDefault(p => p.HasExited) is { } dead)
            throw new InvalidOperationException($"a spinner exited at once (exit code {dead.ExitCode}): {self} {string.Join(' ', arguments)}");
    }

    /// <summary>Busy-spins until stdin closes (the parent died or disposed the load), so no spinner outlives its parent.</summary>
    public static void Spin()
    {
        var stop = 0;
        var watcher = new Thread(() =>
        {
            Console.In.ReadToEnd();
            Volatile.Write(ref stop, 1);
        }) { IsBackground = true };
        watcher.Start();
        ulong x = 1;
        while (Volatile.Read(ref stop) == 0)
            for (var i = 0; i < 1_000_000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        GC.KeepAlive(x);
    }

    public void Dispose()
    {
        foreach (var p in _spinners)
        {
            p.StandardInput.Close();
            if (!p.WaitForExit(5000)) p.Kill();
            p.Dispose();
        }
        _spinners.Clear();
    }
}
