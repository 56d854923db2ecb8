using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary><c>hmc test</c> in process over the test catalog; budgets are iterations, never time, so results are deterministic.</summary>
public sealed class TestCommandTests
{
    private static TestSummary ReadSummary(TempDirectory dir) =>
        JsonOutput.Deserialize<TestSummary>(File.ReadAllText(Assert.Single(dir.Files("*_summary-test.json"))))!;

    [Fact]
    public async Task The_correct_model_runs_clean_prints_a_table_and_writes_a_summary()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--iterations", "40", "--seed", "5", "--out", dir.Path);

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        foreach (var header in new[] { "scenario", "strategy", "iterations", "schedules/s", "result" }) Assert.Contains(header, result.Out);
        Assert.Contains("clean (budget)", result.Out);
        Assert.Empty(dir.Files("*.trace.json"));
        var summary = ReadSummary(dir);
        Assert.Equal((TestSummary.FormatId, "Model", "clean", 0, "5"), (summary.Format, summary.Mode, summary.Outcome, summary.ExitCode, summary.Seed));
        Assert.Equal(["counter", "counter-b"], summary.Jobs.Select(j => j.Scenario));
        Assert.All(summary.Jobs, j => Assert.Equal(40, j.Iterations));
        Assert.All(summary.Jobs, j => Assert.Equal(4, j.Slices.Count));
        Assert.Null(summary.TimeLimitSeconds);
    }

    [Fact]
    public async Task A_variant_is_found_written_as_a_sortable_trace_and_exits_1()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--variant", "split-add", "--iterations", "500", "--seed", "3", "--out", dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        var trace = Assert.Single(dir.Files("*.trace.json"));
        Assert.Matches(@"\d{8}-\d{6}-\d{3}_001_counter_split-add_assertion-failure_random-s3-i\d+\.trace\.json$", trace);
        Assert.Contains("found AssertionFailure", result.Out);
        Assert.Contains("hmc replay ", result.Out);
        var job = Assert.Single(ReadSummary(dir).Jobs);
        Assert.Equal(("AssertionFailure", trace), (job.Bug!.Kind, job.Bug.Trace));
        Assert.Contains("lost update", job.Bug.Message);
    }

    [Fact]
    public async Task The_self_check_passes_when_every_variant_is_found_and_shows_iterations_to_bug_and_class()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--variant", "all", "--iterations", "500", "--seed", "1", "--out", dir.Path);

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("iterations to bug", result.Out);
        Assert.Contains("lost update", result.Out);
        Assert.Contains("self-check passed", result.Out);
        Assert.Contains("traces (replay with hmc replay FILE):", result.Out);
        Assert.Equal(2, dir.Files("*.trace.json").Length);
        var checks = ReadSummary(dir).SelfCheck!;
        Assert.Equal(["split-add", "unlocked"], checks.Select(c => c.Variant));
        Assert.All(checks, c => Assert.True(c.Found && c.IterationsToBug >= 1 && c.Trace is not null));
        Assert.Equal(["AssertionFailure", "DataRace"], checks.Select(c => c.FoundKind));
    }

    [Fact]
    public async Task The_self_check_fails_when_a_variant_is_not_found()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(TestCatalog.WithUnfindable(), "test", "--variant", "all", "--iterations", "30", "--seed", "1", "--out", dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("not found (budget)", result.Out);
        Assert.Contains("self-check failed", result.Out);
        var harmless = Assert.Single(ReadSummary(dir).SelfCheck!, c => c.Variant == "harmless");
        Assert.False(harmless.Found);
        Assert.Null(harmless.IterationsToBug);
    }

    [Fact]
    public async Task Json_prints_the_same_summary_that_is_written()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--strategy", "pct", "--iterations", "10", "--seed", "9", "--out", dir.Path, "--json");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        using var printed = JsonDocument.Parse(result.Out);
        Assert.Equal(File.ReadAllText(Assert.Single(dir.Files("*_summary-test.json"))).Trim(), result.Out.Trim());
        Assert.Equal("pct", printed.RootElement.GetProperty("jobs")[0].GetProperty("strategy").GetString());
    }

    [Fact]
    public async Task Dfs_reports_an_exhausted_space()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--strategy", "dfs", "--iterations", "100000", "--out", dir.Path, "--json");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var job = Assert.Single(ReadSummary(dir).Jobs);
        Assert.Equal(("Exhausted", "clean (all schedules explored)"), (job.Stop, job.Result));
        Assert.True(job.Iterations < 100000);
    }

    [Fact]
    public async Task Dpor_verifies_the_scenario_and_counts_its_interleavings()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--strategy", "dpor", "--iterations", "100000", "--out", dir.Path, "--json");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var job = Assert.Single(ReadSummary(dir).Jobs);
        Assert.Equal("Exhausted", job.Stop);
        Assert.Matches(@"^verified: no bug in any of \d+ interleavings \(\d+ schedules\)$", job.Result);
    }

    [Fact]
    public async Task Minimize_writes_a_trace_with_no_more_preemptions_that_replays_to_the_same_bug()
    {
        using var dir = new TempDirectory();
        await CliRun.Run("test", "--variant", "split-add", "--strategy", "random", "--iterations", "1000", "--seed", "4", "--out", dir.Path);
        var trace = Assert.Single(dir.Files("*.trace.json"));
        var result = await CliRun.Run("minimize", trace);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Matches(@"before: \d+ preemptions, \d+ steps; after: \d+ preemptions, \d+ steps", result.Out);
        var minimized = Assert.Single(dir.Files("*.min.trace.json"));
        var replay = await CliRun.Run("replay", minimized);
        Assert.Equal(ExitCodes.BugFound, replay.ExitCode);
        Assert.Contains("as recorded", replay.Out);
    }

    [Fact]
    public async Task Progress_goes_to_stderr_as_plain_lines_when_redirected()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--iterations", "10", "--out", dir.Path);
        Assert.Contains("[1/1] counter (portfolio): started, budget 10 iterations", result.Error);
        Assert.Contains("[1/1] counter (portfolio): clean (budget) after 10 iterations", result.Error);
    }

    [Fact]
    public async Task A_failing_model_exits_3_and_still_writes_the_traces_and_the_summary()
    {
        using var dir = new TempDirectory();
        var broken = new CounterScenario("broken") { OnCreateTest = () => throw new InvalidOperationException("model exploded") };
        var catalog = new TestCatalog([new CounterScenario(), broken], [TestCatalog.SplitAdd]);
        var result = await CliRun.Run(catalog, "test", "--variant", "split-add", "--scenario", "all", "--iterations", "500", "--seed", "3", "--out", dir.Path);

        Assert.Equal(ExitCodes.InternalError, result.ExitCode);
        Assert.Contains("\nhmc: internal error: InvalidOperationException: model exploded", result.Error);
        Assert.Single(dir.Files("*.trace.json"));
        var summary = ReadSummary(dir);
        Assert.Equal(("error", 3), (summary.Outcome, summary.ExitCode));
        Assert.Equal("InvalidOperationException: model exploded", summary.Error);
        Assert.Equal("counter", Assert.Single(summary.Jobs).Scenario);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_run_and_still_writes_what_ran()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["test", "--iterations", "100", "--out", dir.Path], TestCatalog.Standard(),
            CliEnvironment.Redirected(output, new StringWriter()), cancel.Token);

        Assert.Equal(ExitCodes.Canceled, code);
        Assert.Contains("Canceled (Ctrl+C) after 0 of 2 job(s)", output.ToString());
        Assert.Contains("canceled: 0 job(s)", output.ToString());
        var summary = ReadSummary(dir);
        Assert.True(summary.Canceled);
        Assert.Equal(ExitCodes.Canceled, summary.ExitCode);
    }

    [Fact]
    public async Task Two_runs_in_one_directory_never_overwrite_each_other()
    {
        using var dir = new TempDirectory();
        for (var i = 0; i < 3; i++)
            Assert.Equal(ExitCodes.BugFound, (await CliRun.Run("test", "--variant", "split-add", "--iterations", "500", "--seed", "3", "--out", dir.Path)).ExitCode);
        Assert.Equal(3, dir.Files("*.trace.json").Length);
        Assert.Equal(3, dir.Files("*_summary-test.json").Length);
    }

    [Fact]
    public async Task The_run_says_what_it_does_and_how_to_repeat_it()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--iterations", "5", "--seed", "77", "--out", dir.Path);
        Assert.StartsWith("hmc test: the correct model, 2 job(s), seed 77, budget 5 iterations per job; output in ", result.Error);
        Assert.Contains("seed 77 (--seed 77 repeats it)", result.Out);
    }

    [Fact]
    public async Task A_time_limit_is_announced_and_recorded()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--time-limit", "1m", "--iterations", "5", "--out", dir.Path, "--json");
        Assert.Equal(60, JsonOutput.Deserialize<TestSummary>(result.Out)!.TimeLimitSeconds);
        Assert.Contains(", 1m00s in all;", result.Error);
    }

    [Theory]
    [InlineData("one line", "one line")]
    [InlineData("kernel BUG at kunmap_high\n   at Pkmap.KunmapHigh()", "kernel BUG at kunmap_high …")]
    public void Run_overviews_show_the_first_line_of_a_message(string message, string shown) =>
        Assert.Equal(shown, Rendering.TestResultView.FirstLine(message));

    [Fact]
    public async Task A_narrow_width_never_folds_a_trace_path_or_the_replay_command()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        var env = CliEnvironment.Redirected(output, new StringWriter()) with { RedirectedColumns = 40 };
        var code = await CliApp.RunAsync(["test", "--variant", "split-add", "--iterations", "500", "--seed", "3", "--out", dir.Path],
            TestCatalog.Standard(), env);

        Assert.Equal(ExitCodes.BugFound, code);
        var trace = Assert.Single(dir.Files("*.trace.json"));
        Assert.Contains($"  replay: hmc replay {trace}\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_self_check_with_a_variant_that_cannot_run_fails_and_says_why()
    {
        using var dir = new TempDirectory();
        var catalog = new TestCatalog([new CounterScenario(), new CounterScenario("counter-b")], [TestCatalog.SplitAdd, TestCatalog.Foreign]);
        var result = await CliRun.Run(catalog, "test", "--variant", "all", "--iterations", "500", "--seed", "3", "--out", dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("not run: unknown variant 'foreign'", result.Out);
        Assert.False(Assert.Single(ReadSummary(dir).SelfCheck!, c => c.Variant == "foreign").Found);
    }

    [Fact]
    public async Task A_variant_naming_a_missing_scenario_is_an_internal_error_of_the_catalog()
    {
        using var dir = new TempDirectory();
        var catalog = new TestCatalog([new CounterScenario()], [TestCatalog.Foreign]);
        var result = await CliRun.Run(catalog, "test", "--variant", "foreign", "--out", dir.Path);

        Assert.Equal(ExitCodes.InternalError, result.ExitCode);
        Assert.Contains("variant 'foreign' names scenario 'counter-b', which does not exist", result.Error);
    }
}
