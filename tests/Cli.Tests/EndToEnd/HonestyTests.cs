using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>hmc</c> never lets a script or a person believe something false: a canceled run is not clean, the
/// repeat hint is true, inputs beyond their documented bounds and parameters a scenario ignores are refused, a
/// trace that is no trace says what it is, and redirected output fits its width.
/// </summary>
public sealed class HonestyTests(VariantRun run) : IClassFixture<VariantRun>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Trace => run.TracePath ?? throw new Xunit.Sdk.XunitException($"no trace was written:\n{run.Result}");

    /// <summary>Prose wraps at the output width; what it says is read with its line breaks as spaces.</summary>
    private static string Unwrapped(string text) => text.ReplaceLineEndings(" ");

    private static string OneErrorLine(ProcessResult result) => Assert.Single(result.Error.TrimEnd().Split('\n'));

    [Fact]
    public async Task Ctrl_C_says_canceled_exits_130_and_still_writes_the_summary()
    {
        // A budget no job finishes soon; the signal goes as soon as the first job has started.
        var result = await HmcProcess.Run(_dir.Path, columns: null, interruptWhen: line => line.Contains("started", StringComparison.Ordinal),
            "test", "--iterations", "1000000", "--seed", "1");

        Assert.True(result.ExitCode == ExitCodes.Canceled, result.ToString());
        Assert.Matches(@"(?m)^canceled: \d+ job\(s\)", result.Out);
        Assert.DoesNotMatch(@"(?m)^clean:", result.Out);
        var summary = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-test.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.True(doc.RootElement.GetProperty("canceled").GetBoolean());
        Assert.Equal(ExitCodes.Canceled, doc.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("canceled", doc.RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Under_a_time_limit_the_repeat_hint_names_the_iteration_budget()
    {
        var limited = await HmcProcess.Run(_dir.Path, "test", "--scenario", "distinct-pages", "--time-limit", "300ms", "--seed", "3");
        var budgeted = await HmcProcess.Run(_dir.Path, "test", "--scenario", "distinct-pages", "--iterations", "20", "--seed", "3");

        Assert.True(limited.ExitCode == ExitCodes.Clean, limited.ToString());
        Assert.Contains("--seed 3 --iterations 10000 without --time-limit runs this budget in full", Unwrapped(limited.Out));
        Assert.True(budgeted.ExitCode == ExitCodes.Clean, budgeted.ToString());
        Assert.Contains("(--seed 3 repeats it)", budgeted.Out);
    }

    [Theory]
    [InlineData("test --cpus 1000", "--cpus expects an integer from 1 to 128, got '1000'")]
    [InlineData("test --last-pkmap 2048", "--last-pkmap expects an integer from 1 to 1024, got '2048'")]
    [InlineData("stress --duration 99999999h", "--duration is at most 24h00m, got '99999999h'")]
    [InlineData("test --time-limit 25h", "--time-limit is at most 24h00m, got '25h'")]
    [InlineData("test --scenario local-preempt --last-pkmap 4", "scenario 'local-preempt' rejects these parameters: it does not use lastPkmap")]
    [InlineData("stress --scenario vmalloc-churn --last-pkmap 8", "scenario 'vmalloc-churn' rejects these parameters: it does not use lastPkmap")]
    public async Task Inputs_beyond_their_bounds_or_ignored_by_the_scenario_exit_2_with_one_line(string args, string expected)
    {
        var result = await HmcProcess.Run(_dir.Path, args.Split(' '));

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains(expected, OneErrorLine(result));
    }

    [Theory]
    [InlineData("tasksPerCpu", "17", "tasksPerCpu is at most 16, found 17")]
    [InlineData("pages", "5000", "pages is at most 4096, found 5000")]
    public async Task A_trace_with_parameters_beyond_their_bounds_is_refused(string parameter, string value, string expected)
    {
        var json = JsonNode.Parse(File.ReadAllText(Trace))!.AsObject();
        json["parameters"]![parameter] = value;
        var copy = Path.Combine(_dir.Path, "bounds.trace.json");
        File.WriteAllText(copy, json.ToJsonString());

        var result = await HmcProcess.Run(_dir.Path, "replay", copy);
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains(expected, OneErrorLine(result));
    }

    [Fact]
    public async Task The_step_bound_grows_with_the_configuration_so_the_correct_model_on_128_cpus_is_no_livelock()
    {
        Assert.Equal(ScenarioParameters.MaxCpus, 128);
        var result = await HmcProcess.Run(_dir.Path, "test", "--scenario", "few-slots", "--cpus", "128", "--iterations", "2",
            "--strategy", "random", "--seed", "1");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.Contains("clean (budget)", result.Out);
    }

    [Fact]
    public async Task A_directory_as_a_trace_is_called_a_directory()
    {
        var result = await HmcProcess.Run(_dir.Path, "replay", _dir.Path);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.EndsWith("is a directory", OneErrorLine(result));
    }

    [Fact]
    public async Task Random_bytes_as_a_trace_are_not_JSON_not_truncated()
    {
        var bytes = new byte[2048];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0x9c; // never '{' or whitespace, whatever the generator gives
        var path = Path.Combine(_dir.Path, "random.trace.json");
        File.WriteAllBytes(path, bytes);

        var result = await HmcProcess.Run(_dir.Path, "replay", path);
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        var line = OneErrorLine(result);
        Assert.Contains("not JSON", line);
        Assert.DoesNotContain("truncated", line);
    }

    [Fact]
    public async Task A_replay_that_finds_another_kind_than_recorded_exits_1_with_one_line_saying_so()
    {
        var json = JsonNode.Parse(File.ReadAllText(Trace))!.AsObject();
        var recorded = json["bug"]!["kind"]!.GetValue<string>();
        var other = recorded == "Deadlock" ? "DataRace" : "Deadlock";
        json["bug"]!["kind"] = other;
        var copy = Path.Combine(_dir.Path, "otherkind.trace.json");
        File.WriteAllText(copy, json.ToJsonString());

        var result = await HmcProcess.Run(_dir.Path, "replay", copy);
        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        Assert.Contains($"the replay found {recorded} but the trace records {other}", OneErrorLine(result));
        Assert.DoesNotContain("as recorded", result.Out);
    }

    [Theory]
    [InlineData(null, 120)]
    [InlineData(80, 80)]
    public async Task Redirected_output_wraps_at_COLUMNS_or_120_except_paths_meant_to_be_pasted(int? columns, int width)
    {
        var result = await HmcProcess.Run(_dir.Path, columns, null, "test", "--variant", "wake-on-zero", "--seed", "1");

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        var pasted = new Regex(@"^(  trace:  |  replay: hmc replay |summary: )");
        Assert.All(result.Out.Split('\n').Where(l => !pasted.IsMatch(l)), l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(120)]
    public async Task Replay_columns_never_cut_an_identifier_in_two(int columns)
    {
        var result = await HmcProcess.Run(_dir.Path, columns, null, "replay", "--verbose", Trace);

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        var table = result.Out.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("step", StringComparison.Ordinal))
            .TakeWhile(l => !l.StartsWith("Reproduced", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(table);
        Assert.All(table, l =>
        {
            Assert.True(l.Count(c => c == '\'') % 2 == 0, $"a quoted name is cut: {l}");
            Assert.DoesNotMatch(@"[\[(_.]$", l.TrimEnd());
            Assert.DoesNotMatch(@"^\s*\d*\]", l);
        });
    }
}
