using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>The built <c>hmc stress</c> on the real model, for a short bounded run.</summary>
public sealed class StressTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_short_run_reports_throughput_latency_counters_and_invariants_as_json()
    {
        var scenario = ModelCatalog.Scenario("distinct-pages").Name;
        var result = await HmcProcess.Run(_dir.Path, "stress", "--scenario", scenario, "--cpus", "2", "--duration", "1s", "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.Equal("hmc-stress-summary/1", root.GetProperty("format").GetString());
        Assert.Equal(scenario, root.GetProperty("scenario").GetString());
        Assert.True(root.GetProperty("clean").GetBoolean());
        var perCpu = root.GetProperty("perCpu").EnumerateArray().Select(c => c.GetProperty("operations").GetInt64()).ToList();
        Assert.Equal(2, perCpu.Count);
        Assert.Equal(root.GetProperty("operations").GetInt64(), perCpu.Sum());
        Assert.True(root.GetProperty("operations").GetInt64() > 0);
        var latency = root.GetProperty("kmapLatencyNs");
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
        Assert.True(root.GetProperty("invariantChecks").GetInt64() > 0);
        Assert.Empty(root.GetProperty("violations").EnumerateArray());
        Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-stress.json"));
    }

    /// <summary>
    /// wake-on-zero (H14 iii, a lost wakeup) hangs a free-running slot-hog within a fraction of a second: with the
    /// slots held by one task the others must sleep on pkmap_map_wait, and nobody wakes them (measured: every one of
    /// 10 runs hung after 20,000–57,000 operations). The duration is a generous bound the hang cuts short; only what
    /// must hold is asserted: the watchdog's hang, a reproduction written as a trace, and that the printed command
    /// replays it to the same deadlock.
    /// </summary>
    [Fact]
    public async Task A_lost_wakeup_hang_is_reproduced_as_a_trace_whose_printed_replay_command_replays_the_deadlock()
    {
        var result = await HmcProcess.Run(_dir.Path, "stress", "--variant", "wake-on-zero", "--cpus", "2", "--duration", "60s",
            "--watchdog", "1s", "--reproduce-for", "60s", "--seed", "5");

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        Assert.Contains("hung-task watchdog fired", result.Out);
        Assert.Contains("searching for its schedule under the systematic engine: portfolio, seed 5", result.Error);
        Assert.Contains("reproduced under the systematic engine", result.Out);
        var replayLine = Assert.Single(result.Out.Split('\n'), l => l.StartsWith("  replay: hmc replay ", StringComparison.Ordinal));
        var replayArgs = replayLine["  replay: hmc ".Length..].Trim().Split(' ');
        var trace = Path.Combine(_dir.Path, replayArgs[1]);
        Assert.Matches(@"_001_slot-hog_wake-on-zero_deadlock_(pct|pos|random)-s\d+-i\d+\.trace\.json$", trace);
        Assert.True(File.Exists(trace), trace);

        using var summary = JsonDocument.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-stress.json"))));
        var reproduction = summary.RootElement.GetProperty("reproduction");
        Assert.Equal("Reproduced", reproduction.GetProperty("outcome").GetString());
        Assert.Equal("Deadlock", reproduction.GetProperty("search").GetProperty("bug").GetProperty("kind").GetString());
        Assert.Equal(Path.GetFullPath(trace), reproduction.GetProperty("search").GetProperty("bug").GetProperty("trace").GetString());
        Assert.Equal("hmc replay " + Path.GetFullPath(trace), reproduction.GetProperty("replay").GetString());

        var replay = await HmcProcess.Run(_dir.Path, replayArgs);
        Assert.True(replay.ExitCode == ExitCodes.BugFound, replay.ToString());   // replay exits 1: the bug is there again
        Assert.Contains("Reproduced Deadlock", replay.Out);
        Assert.Contains("as recorded", replay.Out);
        Assert.Equal("", replay.Error);
    }
}
