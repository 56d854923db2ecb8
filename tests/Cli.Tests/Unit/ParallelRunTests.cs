using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>
/// <c>--parallel</c> and <c>--shard</c>/<c>merge</c> never change what a campaign finds: the summary (but its timings)
/// and the trace files equal those of the serial run over the same iterations.
/// </summary>
public sealed class ParallelRunTests
{
    // Portfolio slices of 1,500 iterations: two blocks each, so bugs land in later blocks and later slices.
    private static readonly string[] Campaign = ["test", "--iterations", "6000", "--seed", "11"];

    private static TestCatalog Rare() =>
        new([new RareScenario("rare-a", 1200), new RareScenario("rare-b", 3000), new RareScenario("rare-c", 9000), new CounterScenario()], []);

    [Fact]
    public async Task Parallel_workers_report_the_serial_run()
    {
        using var serial = new TempDirectory();
        using var parallel = new TempDirectory();
        var one = await CliRun.Run(Rare(), [.. Campaign, "--parallel", "1", "--out", serial.Path, "--json"]);
        var three = await CliRun.Run(Rare(), [.. Campaign, "--parallel", "3", "--out", parallel.Path, "--json"]);

        Assert.Equal(ExitCodes.BugFound, one.ExitCode);
        Assert.Equal(one.ExitCode, three.ExitCode);
        Assert.Equal(WithoutTimings(one.Out), WithoutTimings(three.Out));
        AssertSameTraces(serial, parallel);
        // The run is worth comparing only if some job's first bug is past its first block.
        var bugs = JsonNode.Parse(one.Out)!["jobs"]!.AsArray().Select(j => j!["bug"]).OfType<JsonNode>().ToList();
        Assert.Contains(bugs, b => (int)b["iterationsToBug"]! > 1000);
    }

    [Fact]
    public async Task A_self_check_in_parallel_reports_the_serial_one()
    {
        using var serial = new TempDirectory();
        using var parallel = new TempDirectory();
        string[] selfCheck = ["test", "--variant", "all", "--scenario", "all", "--iterations", "300", "--seed", "4", "--json"];
        var one = await CliRun.Run(TestCatalog.WithUnfindable(), [.. selfCheck, "--parallel", "1", "--out", serial.Path]);
        var two = await CliRun.Run(TestCatalog.WithUnfindable(), [.. selfCheck, "--parallel", "2", "--out", parallel.Path]);

        Assert.Equal(ExitCodes.BugFound, one.ExitCode);   // harmless is never found
        Assert.Equal(WithoutTimings(one.Out), WithoutTimings(two.Out));
        AssertSameTraces(serial, parallel);
    }

    [Fact]
    public async Task Three_shards_merge_into_the_unsharded_run()
    {
        using var whole = new TempDirectory();
        var unsharded = await CliRun.Run(Rare(), [.. Campaign, "--out", whole.Path, "--json"]);
        var shards = Enumerable.Range(1, 3).Select(_ => new TempDirectory()).ToList();
        try
        {
            foreach (var (dir, k) in shards.Select((d, i) => (d, i + 1)))
                Assert.Equal(ExitCodes.Clean, (await CliRun.Run(Rare(), [.. Campaign, "--shard", $"{k}/3", "--out", dir.Path])).ExitCode);
            using var merged = new TempDirectory();
            var merge = await CliRun.Run(Rare(), ["merge", .. shards.Select(s => s.Path), "--out", merged.Path, "--json"]);

            Assert.Equal(unsharded.ExitCode, merge.ExitCode);
            Assert.Equal(WithoutTimings(unsharded.Out), WithoutTimings(merge.Out));
            AssertSameTraces(whole, merged);
        }
        finally
        {
            foreach (var s in shards) s.Dispose();
        }
    }

    /// <summary>The summary without what differs between two runs of the same campaign: times, rates and paths.</summary>
    internal static string WithoutTimings(string summaryJson)
    {
        var node = JsonNode.Parse(summaryJson)!;
        Strip(node);
        return node.ToJsonString();
    }

    private static readonly string[] Varying = ["startedAt", "elapsedSeconds", "schedulesPerSecond", "trace"];

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in Varying) o.Remove(key);
                foreach (var (_, child) in o) Strip(child);
                break;
            case JsonArray a:
                foreach (var child in a) Strip(child);
                break;
        }
    }

    /// <summary>The same trace files, byte for byte, under the same names but the run stamp.</summary>
    internal static void AssertSameTraces(TempDirectory expected, TempDirectory actual) => AssertSameTraces(expected.Path, actual.Path);

    /// <inheritdoc cref="AssertSameTraces(TempDirectory, TempDirectory)"/>
    internal static void AssertSameTraces(string expected, string actual)
    {
        static Dictionary<string, string> Traces(string d) => Directory.GetFiles(d, "*.trace.json")
            .ToDictionary(f => Path.GetFileName(f)[(Path.GetFileName(f).IndexOf('_') + 1)..], File.ReadAllText);
        var want = Traces(expected);
        var got = Traces(actual);
        Assert.Equal(want.Keys.Order(), got.Keys.Order());
        foreach (var (name, text) in want) Assert.True(text == got[name], $"trace {name} differs");
    }
}
