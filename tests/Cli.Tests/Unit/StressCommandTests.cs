using System.Text.Json;
using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary><c>hmc stress</c> over the test catalog's native counter (short runs: only their shape is asserted).</summary>
public sealed class StressCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_clean_run_exits_0_and_its_json_is_the_written_summary()
    {
        var result = await CliRun.Run("stress", "--scenario", "counter", "--cpus", "3", "--duration", "100ms", "--out", _dir.Path, "--json");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var summary = JsonOutput.Deserialize<StressSummary>(result.Out)!;
        Assert.Equal(File.ReadAllText(Assert.Single(_dir.Files("*_summary-stress.json"))).Trim(), result.Out.Trim());
        Assert.Equal((StressSummary.FormatId, "counter", "none", true, 0), (summary.Format, summary.Scenario, summary.Variant, summary.Clean, summary.ExitCode));
        Assert.Equal("3", summary.Parameters["cpus"]);
        Assert.Equal([0, 1, 2], summary.PerCpu.Select(c => c.Cpu));
        Assert.Equal(summary.Operations, summary.PerCpu.Sum(c => c.Operations));
        Assert.True(summary.Operations > 0);
        Assert.Empty(summary.Violations);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.True(doc.RootElement.GetProperty("kmapLatencyNs").TryGetProperty("p99", out _));
    }

    [Fact]
    public async Task A_violation_exits_1_and_is_printed()
    {
        var result = await CliRun.Run("stress", "--variant", "split-add", "--cpus", "2", "--duration", "200ms", "--out", _dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("violation: counter is", result.Out);
        Assert.Contains("failed: 1 invariant violation(s)", result.Out);
        Assert.False(JsonOutput.Deserialize<StressSummary>(File.ReadAllText(Assert.Single(_dir.Files("*_summary-stress.json"))))!.Clean);
    }

    [Fact]
    public async Task The_report_has_throughput_per_cpu_latency_and_counters()
    {
        var result = await CliRun.Run("stress", "--duration", "100ms", "--cpus", "2", "--out", _dir.Path);
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        foreach (var text in new[] { "throughput", "cpu0", "cpu1", "total", "kmap latency", "p50", "p99", "counter_lock acquisitions", "invariant checks" })
            Assert.Contains(text, result.Out);
    }

    [Fact]
    public async Task Ctrl_C_stops_says_canceled_with_exit_130_and_still_reports_and_writes_the_summary()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["stress", "--duration", "1h", "--out", _dir.Path, "--json"], TestCatalog.Standard(),
            CliEnvironment.Redirected(output, new StringWriter()), cancel.Token);

        Assert.Equal(ExitCodes.Canceled, code);
        var summary = JsonOutput.Deserialize<StressSummary>(output.ToString())!;
        Assert.True(summary.Canceled);
        Assert.Single(_dir.Files("*_summary-stress.json"));
    }

    [Fact]
    public async Task Parameters_the_scenario_rejects_are_exit_2()
    {
        var result = await CliRun.Run("stress", "--cpus", "9", "--out", _dir.Path);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("hmc: scenario 'counter' rejects these parameters: at most 8 CPUs", result.Error.Trim());
    }
}
