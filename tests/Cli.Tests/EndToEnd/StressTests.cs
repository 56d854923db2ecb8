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
}
