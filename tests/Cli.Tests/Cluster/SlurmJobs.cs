using System.Text.RegularExpressions;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>What the cluster's client commands say about jobs: submission, the queue, a finished job's record.</summary>
internal static partial class SlurmJobs
{
    /// <summary>The documented campaign's shards and merge take a few seconds each here; a minute per job is a hang.</summary>
    private static readonly TimeSpan QueueLimit = TimeSpan.FromMinutes(3);

    /// <summary>The job id sbatch printed ("Submitted batch job N").</summary>
    public static int Submitted(string sbatchOutput)
    {
        var match = SubmittedLine().Match(sbatchOutput);
        Assert.True(match.Success, $"no job id in sbatch's output: {sbatchOutput}");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until squeue lists no job. A job pending on a dependency that can never be met fails the wait at once
    /// when <paramref name="neverSatisfiedIsFailure"/>: a shard failed, and the merge would wait forever.
    /// <paramref name="context"/> adds what to show on failure (the jobs' logs).
    /// </summary>
    public static Task AllDone(SlurmCluster cluster, string directory, bool neverSatisfiedIsFailure, Func<string> context) =>
        Bounded.Until("every job out of squeue", QueueLimit, async () =>
        {
            var squeue = await cluster.Run(directory, "squeue", "-h", "-o", "%i %j %T %r");
            var lines = squeue.Out.Trim();
            if (squeue.ExitCode == 0 && lines.Length == 0) return Probe.Met;
            var seen = $"squeue: {squeue}\n{context()}\n{cluster.Logs}";
            return neverSatisfiedIsFailure && lines.Contains("DependencyNeverSatisfied", StringComparison.Ordinal)
                ? Probe.Hopeless(seen) : Probe.NotYet(seen);
        });

    /// <summary>
    /// A finished job's state and exit code from the controller's memory (kept MinJobAge, 300 s by default): with no
    /// accounting daemon sacct has nothing.
    /// </summary>
    public static async Task<(string State, string Reason, string ExitCode)> Record(SlurmCluster cluster, string directory, int job)
    {
        var show = await cluster.Run(directory, "scontrol", "show", "job", job.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(show.ExitCode == 0, show.ToString());
        string Field(string name) => Regex.Match(show.Out, $@"\b{name}=(\S+)").Groups[1].Value;
        return (Field("JobState"), Field("Reason"), Field("ExitCode"));
    }

    [GeneratedRegex(@"Submitted batch job (\d+)")]
    private static partial Regex SubmittedLine();
}
