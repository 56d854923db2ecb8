using System.Diagnostics;
using HighMemConcurrency.Cli.Tests.EndToEnd;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// A real one-node Slurm cluster for the tests of one class: munged, slurmctld and slurmd started as child
/// processes in the foreground on a key and a slurm.conf under a temp directory, ready once <c>sinfo</c> shows the
/// node idle. Disposing it cancels its jobs, stops every daemon (also after a failed test or a failed start) and
/// kills whatever its jobs left behind.
/// </summary>
public sealed class SlurmCluster : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CancelLimit = TimeSpan.FromSeconds(30);

    private readonly List<Daemon> _daemons = [];
    private TempDirectory? _root;

    internal SlurmConfig Config { get; private set; } = null!;

    internal Dictionary<string, string?> Variables { get; private set; } = null!;

    /// <summary>The daemons' last output, for a failure message.</summary>
    internal string Logs => string.Join('\n', _daemons.Select(d => d.Describe()));

    public async Task InitializeAsync()
    {
        SlurmInstallation.Require();
        try
        {
            _root = new TempDirectory();
            Config = new SlurmConfig(_root.Path);
            Config.Write();
            Variables = ClusterEnvironment.For(Config);
            await StartMunge();
            _daemons.Add(Daemon.Start("slurmctld", Variables, SlurmInstallation.Slurmctld, "-D"));
            _daemons.Add(Daemon.Start("slurmd", Variables, SlurmInstallation.Slurmd, "-D", "-N", SlurmConfig.Host));
            await Bounded.Until($"the node {SlurmConfig.Host} idle in sinfo", StartLimit, async () =>
            {
                if (_daemons.Any(d => d.HasExited)) return Probe.Hopeless(Logs);
                var sinfo = await Run(_root.Path, "sinfo", "-h", "-N", "-o", "%N %T");
                return sinfo.Out.Trim() == $"{SlurmConfig.Host} idle" ? Probe.Met : Probe.NotYet($"sinfo: {sinfo}\n{Logs}");
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartMunge()
    {
        // --force: munged's checks are for an installed key (its directory owned by a munge user, no writable
        // parent): this one sits in the test's temp directory under /tmp. Every path is given so that the
        // machine's own /etc/munge and /run/munge stay untouched.
        var munged = Daemon.Start("munged", Variables, SlurmInstallation.Munged, "--foreground", "--force",
            $"--socket={Config.MungeSocket}", $"--key-file={Config.MungeKey}",
            $"--pid-file={Path.Combine(Config.MungeDirectory, "munged.pid")}",
            $"--seed-file={Path.Combine(Config.MungeDirectory, "munged.seed")}",
            $"--log-file={Path.Combine(Config.MungeDirectory, "munged.log")}");
        _daemons.Add(munged);
        await Bounded.Until("munged's socket", StartLimit, () => Task.FromResult(
            File.Exists(Config.MungeSocket) ? Probe.Met
            : munged.HasExited ? Probe.Hopeless(munged.Describe())
            : Probe.NotYet(munged.Describe())));
    }

    /// <summary>Runs a command (a Slurm client, bash) against this cluster; one that hangs fails the test.</summary>
    internal async Task<ProcessResult> Run(string workingDirectory, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        ClusterEnvironment.Apply(start, Variables);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(CommandLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} still ran after {CommandLimit.TotalSeconds:0} s:\n{await stdout}\n{await stderr}");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public async Task DisposeAsync()
    {
        try
        {
            await CancelJobs();
        }
        finally
        {
            // Stop the node first, the controller next, munge last: each needs the next to shut down cleanly.
            foreach (var daemon in Enumerable.Reverse(_daemons)) daemon.Dispose();
            _daemons.Clear();
            if (Config is not null) LeftoverProcesses.KillAll("SLURM_CONF", Config.ConfFile);
            _root?.Dispose();
            _root = null;
        }
    }

    /// <summary>Cancels every job still known (a failed test's) and waits, bounded, until none is left.</summary>
    private async Task CancelJobs()
    {
        if (_root is null || _daemons.Count < 3 || _daemons.Any(d => d.HasExited)) return;
        var jobs = (await Run(_root.Path, "squeue", "-h", "-o", "%A")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (jobs.Length == 0) return;
        await Run(_root.Path, "scancel", jobs);
        await Bounded.Until("the canceled jobs gone from squeue", CancelLimit, async () =>
        {
            var squeue = await Run(_root.Path, "squeue", "-h");
            return squeue.Out.Trim().Length == 0 ? Probe.Met : Probe.NotYet(squeue.Out);
        });
    }
}
