using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.Cli.Tests.Unit;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// One small campaign (the self-check, 2,500 iterations per job: three blocks each, dealt out round-robin) run by the
/// built CLI unsharded and as four shards, each its own process and directory, with no scheduler variables inherited.
/// (Bugs past a job's first block, assembled from several shards, are covered in process by ParallelRunTests.)
/// </summary>
public sealed class FourShards : IAsyncLifetime
{
    internal static readonly string[] Campaign = ["test", "--variant", "all", "--iterations", "2500", "--seed", "3"];

    /// <summary>No shard from the environment the tests run in (a CI runner may itself be a Slurm task).</summary>
    internal static Dictionary<string, string?> Clean(params (string Name, string Value)[] set)
    {
        var env = new Dictionary<string, string?>
        {
            ["JOB_COMPLETION_INDEX"] = null, ["HMC_SHARDS"] = null, ["SLURM_ARRAY_TASK_ID"] = null,
            ["SLURM_ARRAY_TASK_COUNT"] = null, ["SLURM_ARRAY_TASK_MIN"] = null, ["SLURM_ARRAY_TASK_STEP"] = null,
        };
        foreach (var (name, value) in set) env[name] = value;
        return env;
    }

    internal TempDirectory Root { get; } = new();

    internal ProcessResult Unsharded { get; private set; } = null!;

    internal string Shard(int k) => Path.Combine(Root.Path, $"shard-{k}");

    public async Task InitializeAsync()
    {
        Unsharded = await HmcProcess.Run(Root.Path, Clean(), [.. Campaign, "--out", "whole", "--json"]);
        for (var k = 1; k <= 4; k++)
        {
            var run = await HmcProcess.Run(Root.Path, Clean(), [.. Campaign, "--shard", $"{k}/4", "--out", Shard(k)]);
            Assert.True(run.ExitCode == ExitCodes.Clean, run.ToString());
        }
    }

    public Task DisposeAsync()
    {
        Root.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>hmc merge</c> of four shard processes equals one unsharded run over the same iterations; a shard taken from a
/// Kubernetes Indexed Job's or a Slurm array's variables is the same shard as <c>--shard K/N</c>; and the merge
/// refuses what does not add up to one campaign, with one line and exit 2.
/// </summary>
public sealed class ShardTests(FourShards shards) : IClassFixture<FourShards>
{
    [Fact]
    public async Task Four_shards_merge_into_the_unsharded_run()
    {
        var merged = Path.Combine(shards.Root.Path, "merged");
        var merge = await HmcProcess.Run(shards.Root.Path, FourShards.Clean(),
            ["merge", shards.Shard(1), shards.Shard(2), shards.Shard(3), shards.Shard(4), "--out", merged, "--json"]);

        Assert.True(merge.ExitCode == shards.Unsharded.ExitCode, merge.ToString());
        Assert.Equal(ParallelRunTests.WithoutTimings(shards.Unsharded.Out), ParallelRunTests.WithoutTimings(merge.Out));
        ParallelRunTests.AssertSameTraces(Path.Combine(shards.Root.Path, "whole"), merged);
        // Every shard ran part of it, and some shard's bug traces are among those the merge reports.
        Assert.All(Enumerable.Range(1, 4), k => Assert.NotEmpty(JsonNode.Parse(Summary(shards.Shard(k), strip: false))!["units"]!.AsArray()));
    }

    [Fact]
    public async Task A_kubernetes_index_or_a_slurm_task_is_the_same_shard()
    {
        var kubernetes = await HmcProcess.Run(shards.Root.Path, FourShards.Clean(("JOB_COMPLETION_INDEX", "1"), ("HMC_SHARDS", "4")),
            [.. FourShards.Campaign, "--out", "k8s", "--json"]);
        var slurm = await HmcProcess.Run(shards.Root.Path,
            FourShards.Clean(("SLURM_ARRAY_TASK_ID", "6"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "2"), ("SLURM_ARRAY_TASK_STEP", "2")),
            [.. FourShards.Campaign, "--out", "slurm", "--json"]);

        Assert.True(kubernetes.ExitCode == ExitCodes.Clean, kubernetes.ToString());
        Assert.Equal(Summary(shards.Shard(2)), ParallelRunTests.WithoutTimings(kubernetes.Out));
        Assert.True(slurm.ExitCode == ExitCodes.Clean, slurm.ToString());
        Assert.Equal(Summary(shards.Shard(3)), ParallelRunTests.WithoutTimings(slurm.Out));

        var bad = await HmcProcess.Run(shards.Root.Path, FourShards.Clean(("JOB_COMPLETION_INDEX", "x"), ("HMC_SHARDS", "4")), [.. FourShards.Campaign]);
        Assert.Equal((ExitCodes.BadInput, "hmc: JOB_COMPLETION_INDEX must be an integer ≥ 0, got 'x'\n"), (bad.ExitCode, bad.Error));
    }

    [Fact]
    public async Task The_merge_refuses_what_is_not_one_whole_campaign()
    {
        var other = Path.Combine(shards.Root.Path, "other-seed");
        var run = await HmcProcess.Run(shards.Root.Path, FourShards.Clean(),
            ["test", "--variant", "all", "--iterations", "2500", "--seed", "4", "--shard", "4/4", "--out", other]);
        Assert.True(run.ExitCode == ExitCodes.Clean, run.ToString());
        var malformed = Path.Combine(shards.Root.Path, "malformed");
        Directory.CreateDirectory(malformed);
        File.WriteAllText(Path.Combine(malformed, "20260101-000000-000_summary-test.json"), "{ \"format\": ");

        await Refused("from a different campaign", "(seed: 3 vs 4)", shards.Shard(1), shards.Shard(2), shards.Shard(3), other);
        await Refused("missing shard(s) 2, 4 of 4", "", shards.Shard(1), shards.Shard(3));
        await Refused("duplicate shard 2/4", "", shards.Shard(1), shards.Shard(2), shards.Shard(2), shards.Shard(3), shards.Shard(4));
        await Refused("malformed summary", "", shards.Shard(1), malformed);
        await Refused("not a shard's summary", "", Path.Combine(shards.Root.Path, "whole"));
    }

    private async Task Refused(string reason, string detail, params string[] directories)
    {
        var merge = await HmcProcess.Run(shards.Root.Path, FourShards.Clean(), ["merge", .. directories, "--out", "refused"]);
        Assert.True(merge.ExitCode == ExitCodes.BadInput, merge.ToString());
        var line = Assert.Single(merge.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hmc: ", line);
        Assert.Contains(reason, line);
        Assert.Contains(detail, line);
        Assert.Equal("", merge.Out);
    }

    private static string Summary(string directory, bool strip = true)
    {
        var text = File.ReadAllText(Directory.GetFiles(directory, "*_summary-test.json").Single());
        return strip ? ParallelRunTests.WithoutTimings(text) : text;
    }
}
