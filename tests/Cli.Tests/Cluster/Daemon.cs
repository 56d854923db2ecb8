using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// A daemon run in the foreground as a child of the test, in a process group of its own (started through
/// <c>setsid</c>, so its process id is its group's), so that stopping it also stops whatever it started. Its
/// output is kept for failure messages.
/// </summary>
internal sealed class Daemon : IDisposable
{
    /// <summary>How long a daemon gets to stop on SIGTERM before its group is killed.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Daemon(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote so far, its last lines only: enough to see why it stopped.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var lines = _output.ToString().Split('\n');
                return string.Join('\n', lines.TakeLast(40));
            }
        }
    }

    /// <summary>What it wrote, and its exit code if it has stopped, for a failure message.</summary>
    public string Describe() =>
        $"--- {Name} ({(HasExited ? $"exited {_process.ExitCode}" : "running")}) ---\n{Output}";

    /// <summary>Starts <paramref name="program"/> with <paramref name="environment"/> applied (a null value: removed).</summary>
    public static Daemon Start(string name, IReadOnlyDictionary<string, string?> environment, string program, params string[] args)
    {
        // setsid (util-linux) calls setsid() and execs in place when its caller leads no group, which a child
        // of the test host never does: the daemon keeps this process id and leads its own group and session.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        ClusterEnvironment.Apply(start, environment);
        start.ArgumentList.Add(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        var daemon = new Daemon(name, Process.Start(start)!);
        daemon._process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        return daemon;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }

    /// <summary>SIGTERM to its group, then SIGKILL to the group if it is still there after a grace period.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal(SigTerm);
            if (!_process.WaitForExit(StopGrace)) Signal(SigKill);
            _process.WaitForExit(StopGrace);
        }
        // Whatever it started outside its group (Slurm's job steps) is the cluster's to sweep (LeftoverProcesses).
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        // The group may not exist yet if setsid has not run; the process itself then gets the signal.
        if (Kill(-_process.Id, signal) != 0) Kill(_process.Id, signal);
    }

    private const int SigTerm = 15;
    private const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int signal);
}
