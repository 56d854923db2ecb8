using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary><c>hmc replay</c> on traces the test command wrote, and on damaged copies of them.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Finds the split-add bug (2 CPUs × 2 adds) and returns its trace file.</summary>
    private async Task<string> RecordTrace(string variant = "split-add")
    {
        var run = await CliRun.Run("test", "--variant", variant, "--iterations", "500", "--seed", "3", "--out", _dir.Path);
        Assert.Equal(ExitCodes.BugFound, run.ExitCode);
        return _dir.Files("*.trace.json").Last();
    }

    private string Edit(string trace, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(trace))!.AsObject();
        edit(json);
        var path = Path.Combine(_dir.Path, "edited-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Replay_reproduces_the_bug_exits_1_and_shows_one_column_per_thread()
    {
        var trace = await RecordTrace();
        var result = await CliRun.Run("replay", trace);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("AssertionFailure: lost update", result.Out);
        Assert.Contains("Reproduced AssertionFailure", result.Out);
        var header = result.Out.Split('\n').First(l => l.Contains("step"));
        Assert.True(header.IndexOf("T0 ", StringComparison.Ordinal) < header.IndexOf("T1 cpu0", StringComparison.Ordinal));
        Assert.True(header.IndexOf("T1 cpu0", StringComparison.Ordinal) < header.IndexOf("T2 cpu1", StringComparison.Ordinal));
        Assert.Contains("counter: 0→1", result.Out); // the model's notes are shown under the step
    }

    [Fact]
    public async Task A_data_race_replays_as_a_data_race()
    {
        var result = await CliRun.Run("replay", await RecordTrace("unlocked"));
        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("Reproduced DataRace", result.Out);
    }

    [Fact]
    public async Task Verbose_shows_the_trace_header()
    {
        var result = await CliRun.Run("replay", await RecordTrace(), "--verbose");
        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        Assert.Contains("variant=split-add", result.Out);
        Assert.Contains("decisions", result.Out);
    }

    [Fact]
    public async Task A_truncated_trace_is_exit_2_naming_the_problem()
    {
        var trace = await RecordTrace();
        var text = await File.ReadAllTextAsync(trace);
        var cut = Path.Combine(_dir.Path, "cut.json");
        await File.WriteAllTextAsync(cut, text[..(text.Length / 2)]);

        var result = await CliRun.Run("replay", cut);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("the file is truncated or malformed", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Theory]
    [InlineData("format", "hmc-trace/99", "trace field 'format': unsupported version 'hmc-trace/99'")]
    [InlineData("seed", "minus one", "trace field 'seed'")]
    [InlineData("decisionCount", null, "trace field 'decisionCount': missing")]
    public async Task A_damaged_field_is_exit_2_naming_the_field(string field, string? value, string expected)
    {
        var edited = Edit(await RecordTrace(), json =>
        {
            if (value is null) json.Remove(field);
            else json[field] = value;
        });
        var result = await CliRun.Run("replay", edited);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task A_trace_of_an_unknown_scenario_is_exit_2_listing_the_valid_ones()
    {
        var edited = Edit(await RecordTrace(), json => json["test"] = "no-such-scenario");
        var result = await CliRun.Run("replay", edited);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("trace field 'test': unknown scenario 'no-such-scenario' (valid: counter, counter-b)", result.Error);
    }

    [Fact]
    public async Task Bad_parameters_are_exit_2_naming_the_parameter()
    {
        var edited = Edit(await RecordTrace(), json => json["parameters"]!["cpus"] = "zero");
        var result = await CliRun.Run("replay", edited);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("trace field 'parameters': parameter 'cpus' must be a positive integer, found 'zero'", result.Error);
    }

    [Fact]
    public async Task A_trace_that_no_longer_matches_the_model_diverges_with_exit_2_naming_the_step()
    {
        // One more CPU than recorded: the recorded decisions no longer describe this execution.
        var edited = Edit(await RecordTrace(), json => json["parameters"]!["cpus"] = "3");
        var result = await CliRun.Run("replay", edited);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Matches(@"trace diverged at step \d+", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task A_missing_file_is_exit_2()
    {
        var result = await CliRun.Run("replay", Path.Combine(_dir.Path, "nothing-here.trace.json"));
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("hmc: cannot read trace", result.Error);
    }
}
