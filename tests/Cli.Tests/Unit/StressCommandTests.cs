using System.Text.Json;
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
    public async Task A_violation_is_reproduced_under_the_systematic_engine_with_a_trace_and_its_replay_command()
    {
        var result = await CliRun.Run("stress", "--variant", "split-add", "--cpus", "2", "--duration", "200ms", "--seed", "3", "--out", _dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("searching for its schedule under the systematic engine: portfolio, seed 3", result.Error);
        var trace = Assert.Single(_dir.Files("*.trace.json"));
        Assert.Matches(@"_001_counter_split-add_assertion-failure_(pct|pos|random)-s\d+-i\d+\.trace\.json$", trace);
        Assert.Contains("reproduced under the systematic engine", result.Out.ReplaceLineEndings(" "));
        Assert.Contains($"  replay: hmc replay {trace}", result.Out);
        var r = ReadSummary().Reproduction!;
        Assert.Equal((ReproductionStatus.Reproduced, "3", 60.0, $"hmc replay {trace}"), (r.Outcome, r.Seed, r.BudgetSeconds, r.Replay));
        Assert.Equal(("AssertionFailure", trace), (r.Search!.Bug!.Kind, r.Search.Bug.Trace));
        Assert.Equal("split-add", r.Search.Variant);
    }

    [Fact]
    public async Task A_failure_the_search_does_not_reproduce_says_so_and_still_exits_1()
    {
        var result = await CliRun.Run(TestCatalog.WithStressOnly(), "stress", "--variant", "stress-only", "--duration", "100ms",
            "--reproduce-for", "300ms", "--seed", "9", "--out", _dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        var text = result.Out.ReplaceLineEndings(" ");   // the line wraps at the redirected width
        Assert.Contains("not reproduced: the systematic engine found no bug in", text);
        Assert.Contains("(portfolio, seed 9, bound 0.3 s); the stress failure stands, without a trace", text);
        Assert.Contains("failed: 1 invariant violation(s)", result.Out);
        Assert.Empty(_dir.Files("*.trace.json"));
        var r = ReadSummary().Reproduction!;
        Assert.Equal((ReproductionStatus.NotReproduced, null, "TimeLimit"), (r.Outcome, r.Replay, r.Search!.Stop));
        Assert.True(r.Search.Iterations > 0);
    }

    [Fact]
    public async Task Ctrl_C_as_the_search_for_the_schedule_begins_keeps_the_failure_exit_1_and_says_the_search_was_canceled()
    {
        using var ctrlC = new CancellationTokenSource();
        var error = new InterruptingWriter("searching for its schedule", ctrlC);
        var output = new StringWriter();

        var code = await CliApp.RunAsync(["stress", "--variant", "stress-only", "--duration", "100ms", "--reproduce-for", "10m", "--seed", "9",
            "--out", _dir.Path], TestCatalog.WithStressOnly(), CliEnvironment.Redirected(output, error), ctrlC.Token);

        Assert.True(code == ExitCodes.BugFound, $"exit {code}\n{output}\n{error}");
        Assert.True(error.Interrupted, "the search never began");
        Assert.DoesNotContain("internal error", error.ToString());
        Assert.Contains("failed: 1 invariant violation(s)", output.ToString());
        var r = ReadSummary().Reproduction!;
        Assert.Equal((ReproductionStatus.Canceled, null, "Canceled", 0), (r.Outcome, r.Replay, r.Search!.Stop, r.Search.Iterations));
    }

    /// <summary>Standard error that presses Ctrl+C (cancels) as soon as a line containing <paramref name="trigger"/> is written.</summary>
    private sealed class InterruptingWriter(string trigger, CancellationTokenSource ctrlC) : StringWriter
    {
        public bool Interrupted { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (Interrupted || value?.Contains(trigger, StringComparison.Ordinal) != true) return;
            Interrupted = true;
            ctrlC.Cancel();
        }
    }

    [Fact]
    public async Task Reproduce_for_0_turns_the_search_off()
    {
        var result = await CliRun.Run("stress", "--variant", "split-add", "--cpus", "2", "--duration", "200ms", "--reproduce-for", "0", "--out", _dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("not reproduced: --reproduce-for 0 turned the systematic search off; no trace", result.Out.ReplaceLineEndings(" "));
        Assert.DoesNotContain("searching", result.Error);
        Assert.Empty(_dir.Files("*.trace.json"));
        Assert.Equal((ReproductionStatus.Off, null), (ReadSummary().Reproduction!.Outcome, ReadSummary().Reproduction!.Search));
    }

    [Fact]
    public async Task A_clean_run_has_no_reproduction()
    {
        var result = await CliRun.Run("stress", "--duration", "100ms", "--out", _dir.Path);
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Null(ReadSummary().Reproduction);
        Assert.DoesNotContain("reproduc", result.Out + result.Error);
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
    public async Task A_negative_or_unreadable_reproduce_for_is_exit_2()
    {
        var result = await CliRun.Run("stress", "--reproduce-for", "-1s", "--out", _dir.Path);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("--reproduce-for expects a duration (0 turns it off)", result.Error);
    }

    private StressSummary ReadSummary() =>
        JsonOutput.Deserialize<StressSummary>(File.ReadAllText(Assert.Single(_dir.Files("*_summary-stress.json"))))!;

    [Fact]
    public async Task Parameters_the_scenario_rejects_are_exit_2()
    {
        var result = await CliRun.Run("stress", "--cpus", "9", "--out", _dir.Path);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("hmc: scenario 'counter' rejects these parameters: at most 8 CPUs", result.Error.Trim());
    }
}
