using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.EndToEnd;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.Cli.Tests.Unit;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// docs/scale-out.md's Slurm scripts, submitted as written (hmc's path, the budget and the array's range aside) to
/// a real one-node cluster: the array's tasks become the campaign's shards whatever the index layout, each shard
/// exits 0 once it ran — also when it found a bug — so the merge, held by <c>--dependency=afterok</c>, runs and
/// gives the unsharded run's verdict, summary and traces; and a shard that fails cancels the merge rather than
/// leaving it pending for ever.
/// </summary>
public sealed class SlurmClusterTests(SlurmCluster cluster) : IClassFixture<SlurmCluster>
{
    private const string Results = "results/seed-42";

    /// <param name="array">The index layout given to sbatch.</param>
    /// <param name="budget">The campaign replacing the documented one: seconds, not hours.</param>
    /// <param name="verdict">The unsharded run's exit code: the self-check passes (0); the variant is found (1).</param>
    [Theory]
    [InlineData("0-3", "--variant all --seed 42 --iterations 2500", ExitCodes.Clean)]
    [InlineData("1-7:2", "--variant no-recheck-after-wake --seed 42 --iterations 2500", ExitCodes.BugFound)]
    public async Task The_documented_array_and_merge_give_the_unsharded_run(string array, string budget, int verdict)
    {
        using var work = new TempDirectory();
        DocumentedScripts.WriteTo(work.Path, budget, array);
        var unsharded = await HmcProcess.Run(work.Path, FourShards.Clean(), ["test", .. budget.Split(' '), "--out", "whole", "--json"]);
        Assert.True(unsharded.ExitCode == verdict, unsharded.ToString());

        var submit = await cluster.Run(work.Path, "bash", "submit.sh");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var merge = SlurmJobs.Submitted(submit.Out);
        var results = Path.Combine(work.Path, Results);
        await SlurmJobs.AllDone(cluster, work.Path, neverSatisfiedIsFailure: true, () => Logs(results));

        // Every task ran its shard: task id → shard (id − min) / step + 1 of 4, exit 0, bugs or not.
        var tasks = ArrayIndices(array);
        var shards = tasks.Select(id => Summary(Path.Combine(results, $"shard-{id}"), Logs(results))).ToList();
        Assert.Equal(Enumerable.Range(1, tasks.Count), shards.Select(s => (int)s["shard"]!["number"]!));
        Assert.All(shards, s => Assert.Equal((tasks.Count, 0), ((int)s["shard"]!["count"]!, (int)s["exitCode"]!)));
        Assert.Contains(shards, s => s["jobs"]!.AsArray().Any(j => j!["bug"] is not null));

        // The merge ran after them and its verdict is the unsharded run's: in its log, in Slurm's record, in its summary.
        var log = File.ReadAllText(Path.Combine(results, "merge.log"));
        Assert.Contains($"campaign verdict: exit {verdict}\n", log);
        var (state, _, exitCode) = await SlurmJobs.Record(cluster, work.Path, merge);
        Assert.Equal((verdict == ExitCodes.Clean ? "COMPLETED" : "FAILED", $"{verdict}:0"), (state, exitCode));
        var merged = Path.Combine(results, "merged");
        var summary = File.ReadAllText(Directory.GetFiles(merged, "*_summary-test.json").Single());
        Assert.Equal(ParallelRunTests.WithoutTimings(unsharded.Out), ParallelRunTests.WithoutTimings(summary));
        ParallelRunTests.AssertSameTraces(Path.Combine(work.Path, "whole"), merged);
    }

    [Fact]
    public async Task A_failed_shard_cancels_the_merge()
    {
        using var work = new TempDirectory();
        // A shard refuses a time limit (exit 2): the failure any shard may meet (a crash, a lost node) in seconds.
        DocumentedScripts.WriteTo(work.Path, "--variant all --seed 42 --time-limit 1m", "0-1");

        var submit = await cluster.Run(work.Path, "bash", "submit.sh");
        Assert.True(submit.ExitCode == 0, submit.ToString());
        var merge = SlurmJobs.Submitted(submit.Out);
        var results = Path.Combine(work.Path, Results);
        await SlurmJobs.AllDone(cluster, work.Path, neverSatisfiedIsFailure: false, () => Logs(results));

        var (state, reason, _) = await SlurmJobs.Record(cluster, work.Path, merge);
        Assert.Equal(("CANCELLED", "DependencyNeverSatisfied"), (state, reason));
        Assert.False(File.Exists(Path.Combine(results, "merge.log")), "the merge ran although a shard failed");
        Assert.All(Directory.GetFiles(results, "slurm-*.log"), f => Assert.Contains("needs a fixed budget", File.ReadAllText(f)));
    }

    /// <summary>The indices of an array spec "first-last" or "first-last:step".</summary>
    private static List<int> ArrayIndices(string array)
    {
        var parts = array.Split(['-', ':']).Select(int.Parse).ToArray();
        var step = parts.Length == 3 ? parts[2] : 1;
        return Enumerable.Range(0, (parts[1] - parts[0]) / step + 1).Select(i => parts[0] + i * step).ToList();
    }

    private static JsonNode Summary(string directory, string logs)
    {
        Assert.True(Directory.Exists(directory), $"{directory} missing:\n{logs}");
        return JsonNode.Parse(File.ReadAllText(Directory.GetFiles(directory, "*_summary-test.json").Single()))!;
    }

    /// <summary>The jobs' Slurm logs (slurm-*.log, merge.log), for a failure message.</summary>
    private static string Logs(string results) => !Directory.Exists(results) ? $"{results} missing"
        : string.Join('\n', Directory.GetFiles(results, "*.log").Order(StringComparer.Ordinal)
            .Select(f => $"--- {Path.GetFileName(f)} ---\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));
}
