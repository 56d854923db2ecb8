using System.Text.Json;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>
/// Every scenario parameter is an option of test, stress and compare (<c>--cpus</c>, <c>--tasks-per-cpu</c>,
/// <c>--last-pkmap</c>, <c>--pages</c>, <c>--ops-per-task</c>): within its bounds it reaches the run and is recorded; a
/// scenario that does not read it refuses it with exit 2 before anything runs; <c>hmc list</c> shows what each reads.
/// </summary>
public sealed class ParameterOptionsTests
{
    private static readonly ICatalog Model = ModelCatalog.Instance;

    [Fact]
    public async Task List_shows_each_scenario_only_the_parameters_it_reads_and_the_events_it_declares()
    {
        var result = await CliRun.Run(Model, "list", "--json");
        var doc = JsonOutput.Deserialize<ListDocument>(result.Out)!;
        Assert.Equal(["cpus", "tasksPerCpu", "lastPkmap", "pages", "opsPerTask"], doc.Scenarios.Single(s => s.Name == "few-slots").Defaults.Keys);
        Assert.Equal(["cpus", "tasksPerCpu", "opsPerTask"], doc.Scenarios.Single(s => s.Name == "typed-irq-lazy").Defaults.Keys);
        Assert.Equal("3", doc.Scenarios.Single(s => s.Name == "few-slots").Defaults["cpus"]);
        Assert.Equal(["pkmap_map_wait.sleeps", "pkmap_map_wait.wakeups", "pkmap.wraps"], doc.Scenarios.Single(s => s.Name == "few-slots").Events);
    }

    [Theory]
    [InlineData("test", "--scenario", "typed-irq-lazy", "--pages", "3")]
    [InlineData("test", "--scenario", "local-handoff", "--last-pkmap", "8")]
    [InlineData("stress", "--scenario", "typed-irq-lazy", "--pages", "3")]
    [InlineData("compare", "--variant", "irq-type-with-irqs-on", "--model-iterations", "0", "--pages", "3")]
    public async Task A_scenario_refuses_a_parameter_it_does_not_read_before_anything_runs(params string[] args)
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(Model, [.. args, "--out", dir.Path]);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        var option = args[^2].TrimStart('-');
        var name = option == "last-pkmap" ? "lastPkmap" : option;
        Assert.Matches($"^hmc: scenario '[a-z-]+' rejects these parameters: it does not use {name} \\(it uses: cpus, tasksPerCpu, opsPerTask, variant\\)\\n$",
            result.Error.ReplaceLineEndings("\n"));
        Assert.Empty(dir.Files("*"));
    }

    [Theory]
    [InlineData("--tasks-per-cpu", "17", "from 1 to 16")]
    [InlineData("--pages", "4097", "from 1 to 4096")]
    [InlineData("--ops-per-task", "1001", "from 1 to 1000")]
    [InlineData("--ops-per-task", "0", "from 1 to 1000")]
    [InlineData("--cpus", "129", "from 1 to 128")]
    public async Task A_value_beyond_its_documented_bound_is_bad_input(string option, string value, string bounds)
    {
        foreach (var verb in new[] { "test", "stress", "compare" })
        {
            var result = await CliRun.Run(verb, option, value);
            Assert.Equal(ExitCodes.BadInput, result.ExitCode);
            Assert.Contains($"{option} expects an integer {bounds}, got '{value}'", result.Error);
        }
    }

    [Fact]
    public async Task Test_runs_the_given_parameters_and_records_them_in_the_jobs_and_the_campaign()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--scenario", "counter", "--tasks-per-cpu", "2", "--pages", "2", "--ops-per-task", "3",
            "--iterations", "5", "--seed", "1", "--out", dir.Path, "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var parameters = doc.RootElement.GetProperty("jobs")[0].GetProperty("parameters");
        Assert.Equal(("2", "2", "2", "3"), (parameters.GetProperty("cpus").GetString(), parameters.GetProperty("tasksPerCpu").GetString(),
            parameters.GetProperty("pages").GetString(), parameters.GetProperty("opsPerTask").GetString()));
        var campaign = doc.RootElement.GetProperty("campaign");
        Assert.Equal((2, 2, 3), (campaign.GetProperty("tasksPerCpu").GetInt32(), campaign.GetProperty("pages").GetInt32(),
            campaign.GetProperty("opsPerTask").GetInt32()));
        Assert.Equal(JsonValueKind.Null, campaign.GetProperty("cpus").ValueKind);
    }

    [Fact]
    public async Task A_trace_records_the_given_parameters_and_replays_with_them()
    {
        using var dir = new TempDirectory();
        var found = await CliRun.Run("test", "--variant", "split-add", "--ops-per-task", "3", "--iterations", "500", "--seed", "3", "--out", dir.Path);
        Assert.True(found.ExitCode == ExitCodes.BugFound, found.ToString());
        var trace = Assert.Single(dir.Files("*.trace.json"));
        using (var doc = JsonDocument.Parse(File.ReadAllText(trace)))
            Assert.Equal("3", doc.RootElement.GetProperty("parameters").GetProperty("opsPerTask").GetString());

        var replay = await CliRun.Run("replay", trace);
        Assert.Equal(ExitCodes.BugFound, replay.ExitCode);
        Assert.Contains("Reproduced AssertionFailure", replay.Out);
    }

    [Fact]
    public async Task Stress_runs_the_given_parameters()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("stress", "--scenario", "counter", "--cpus", "2", "--ops-per-task", "5", "--pages", "2",
            "--duration", "100ms", "--out", dir.Path, "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var summary = JsonOutput.Deserialize<StressSummary>(result.Out)!;
        Assert.Equal(("2", "5", "2"), (summary.Parameters["cpus"], summary.Parameters["opsPerTask"], summary.Parameters["pages"]));
    }

    [Fact]
    public async Task Compare_runs_every_row_with_the_given_parameters_and_records_them()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("compare", "--variant", "split-add", "--seeds", "1", "--pairs", "random", "--model-iterations", "0",
            "--ops-per-task", "3", "--iterations", "400", "--time-limit", "1m", "--seed", "7", "--out", dir.Path, "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(3, doc.RootElement.GetProperty("parameters").GetProperty("opsPerTask").GetInt32());
        var row = doc.RootElement.GetProperty("variants")[0];
        foreach (var side in new[] { "ours", "coyote" })
        {
            var run = row.GetProperty(side).GetProperty("runs")[0];
            Assert.True(run.GetProperty("foundAsExpected").GetBoolean(), $"{side}: {run}");
            using var trace = JsonDocument.Parse(File.ReadAllText(run.GetProperty("trace").GetString()!));
            Assert.Equal("3", trace.RootElement.GetProperty("parameters").GetProperty("opsPerTask").GetString());
        }
    }
}
