using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.Tests.Fixtures;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>hmc</c> with <c>--load</c> runs a user's own scenarios (tests/Fixtures/UserScenarios) like its own:
/// listed, tested clean, their variant found with a trace whose printed replay command reproduces it; a trace of
/// theirs is refused without the assembly, and a bad assembly is one line and exit 2.
/// </summary>
public sealed class LoadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Dll => UserScenariosDll.Path;

    private Task<ProcessResult> Hmc(params string[] args) => HmcProcess.Run(_dir.Path, args);

    [Fact]
    public async Task List_shows_the_loaded_scenario_and_variant_beside_the_models()
    {
        var result = await Hmc("list", "--load", Dll, "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var doc = JsonNode.Parse(result.Out)!;
        var scenarios = doc["scenarios"]!.AsArray();
        Assert.Equal(("distinct-pages", null), (scenarios[0]!["name"]!.GetValue<string>(), scenarios[0]!["assembly"]));
        var last = scenarios[^1]!;
        Assert.Equal(("locked-counter", UserScenariosDll.Identity), (last["name"]!.GetValue<string>(), last["assembly"]!.GetValue<string>()));
        Assert.Equal("unlocked-add", doc["variants"]!.AsArray()[^1]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_loaded_scenario_runs_clean_and_its_variant_is_found_and_replayed_by_the_printed_command_with_a_timeline()
    {
        var clean = await Hmc("test", "--load", Dll, "--scenario", "locked-counter", "--iterations", "300", "--seed", "3");
        Assert.True(clean.ExitCode == ExitCodes.Clean, clean.ToString());

        var found = await Hmc("test", "--load", Dll, "--variant", "unlocked-add", "--iterations", "2000", "--seed", "1");
        Assert.True(found.ExitCode == ExitCodes.BugFound, found.ToString());
        var replayLine = found.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("replay: ", StringComparison.Ordinal));
        var command = replayLine["replay: hmc ".Length..].Split(' ');
        Assert.Equal(["replay", "--load", Dll], command[..3]);
        var trace = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, command[3])))!;
        Assert.Equal(UserScenariosDll.Identity, trace["assembly"]!.GetValue<string>());

        var replay = await Hmc([.. command, "--export", "html", "timeline.html"]);
        Assert.True(replay.ExitCode == ExitCodes.BugFound, replay.ToString());
        Assert.Contains("Reproduced AssertionFailure", replay.Out);
        Assert.Contains("locked-counter", File.ReadAllText(Path.Combine(_dir.Path, "timeline.html")));
    }

    [Fact]
    public async Task Replaying_a_loaded_scenarios_trace_without_its_assembly_is_one_line_and_exit_2()
    {
        var found = await Hmc("test", "--load", Dll, "--variant", "unlocked-add", "--iterations", "2000", "--seed", "1");
        Assert.True(found.ExitCode == ExitCodes.BugFound, found.ToString());
        var trace = Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*.trace.json", SearchOption.AllDirectories).Single();

        var result = await Hmc("replay", trace);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("trace field 'assembly': scenario 'locked-counter' comes from UserScenarios 1.2.0.0, which is not loaded " +
                        "(load it with --load PATH.dll)", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Minimize_and_compare_take_the_loaded_scenario_too()
    {
        var found = await Hmc("test", "--load", Dll, "--variant", "unlocked-add", "--iterations", "2000", "--seed", "1");
        Assert.True(found.ExitCode == ExitCodes.BugFound, found.ToString());
        var trace = Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*.trace.json").Single();

        var minimized = await Hmc("minimize", "--load", Dll, trace);
        Assert.True(minimized.ExitCode == ExitCodes.BugFound, minimized.ToString());   // the shorter trace still holds the bug
        var shorter = Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*.min.trace.json").Single();
        Assert.Equal(UserScenariosDll.Identity, JsonNode.Parse(File.ReadAllText(shorter))!["assembly"]!.GetValue<string>());

        var compare = await Hmc("compare", "--load", Dll, "--variant", "unlocked-add", "--pairs", "pct", "--seeds", "2", "--iterations", "300",
            "--model-iterations", "0", "--json");
        Assert.True(compare.ExitCode == ExitCodes.Clean, compare.ToString());
        var row = JsonNode.Parse(compare.Out)!["variants"]!.AsArray().Single()!;
        Assert.Equal(("unlocked-add", "locked-counter"), (row["variant"]!.GetValue<string>(), row["scenario"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Shards_of_a_loaded_scenario_merge_with_the_assembly_loaded()
    {
        string[] campaign = ["test", "--load", Dll, "--variant", "unlocked-add", "--iterations", "2000", "--seed", "1"];
        var environment = FourShards.Clean();
        foreach (var k in new[] { 1, 2 })
        {
            var shard = await HmcProcess.Run(_dir.Path, environment, [.. campaign, "--shard", $"{k}/2", "--out", $"shard-{k}"]);
            Assert.True(shard.ExitCode == ExitCodes.Clean, shard.ToString());   // a shard that ran its part succeeded; the merge decides
        }

        var merged = await HmcProcess.Run(_dir.Path, environment, ["merge", "--load", Dll, "shard-1", "shard-2", "--out", "merged", "--json"]);

        Assert.True(merged.ExitCode == ExitCodes.BugFound, merged.ToString());
        var trace = Directory.GetFiles(Path.Combine(_dir.Path, "merged"), "*.trace.json").Single();
        Assert.Equal(UserScenariosDll.Identity, JsonNode.Parse(File.ReadAllText(trace))!["assembly"]!.GetValue<string>());
        var withoutAssembly = await HmcProcess.Run(_dir.Path, environment, ["merge", "shard-1", "shard-2", "--out", "merged-again"]);
        Assert.True(withoutAssembly.ExitCode == ExitCodes.BadInput, withoutAssembly.ToString());
    }

    [Fact]
    public async Task Only_loaded_self_checks_the_assemblys_variants_alone_and_lists_the_replay_command_with_its_load()
    {
        var list = await Hmc("list", "--load", Dll, "--only-loaded", "--json");
        Assert.True(list.ExitCode == ExitCodes.Clean, list.ToString());
        var doc = JsonNode.Parse(list.Out)!;
        Assert.Equal(["locked-counter"], doc["scenarios"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(["unlocked-add"], doc["variants"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));

        var selfCheck = await Hmc("test", "--load", Dll, "--only-loaded", "--variant", "all", "--iterations", "2000", "--seed", "1");

        Assert.True(selfCheck.ExitCode == ExitCodes.Clean, selfCheck.ToString());   // every variant found as documented
        var summary = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*summary-test.json").Single()))!;
        var job = summary["jobs"]!.AsArray().Single()!;
        Assert.Equal(("unlocked-add", "locked-counter"), (job["variant"]!.GetValue<string>(), job["scenario"]!.GetValue<string>()));
        var replayLine = selfCheck.Out.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("hmc replay ", StringComparison.Ordinal));
        var replay = await Hmc(replayLine["hmc ".Length..].Split(' '));
        Assert.True(replay.ExitCode == ExitCodes.BugFound, replay.ToString());
        Assert.Contains("Reproduced AssertionFailure", replay.Out);
    }

    [Fact]
    public async Task Only_loaded_without_an_assembly_is_one_line_and_exit_2()
    {
        var result = await Hmc("test", "--only-loaded");

        Assert.Equal((ExitCodes.BadInput, "hmc: --only-loaded needs at least one --load PATH.dll\n", ""), (result.ExitCode, result.Error, result.Out));
    }

    [Fact]
    public async Task A_missing_file_is_one_line_and_exit_2()
    {
        var result = await Hmc("test", "--load", "absent.dll");

        Assert.Equal((ExitCodes.BadInput, "hmc: --load absent.dll: no such file\n", ""), (result.ExitCode, result.Error, result.Out));
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_is_one_line_and_exit_2()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "readme.dll"), "text");

        var result = await Hmc("list", "--load", "readme.dll");

        Assert.Equal((ExitCodes.BadInput, "hmc: --load readme.dll: not a .NET assembly\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task An_assembly_without_scenarios_is_one_line_and_exit_2()
    {
        var result = await Hmc("list", "--load", Path.Combine(AppContext.BaseDirectory, "HighMemConcurrency.Kernel.dll"));

        Assert.Equal((ExitCodes.BadInput, "hmc: --load HighMemConcurrency.Kernel.dll: no scenarios (it has no public ICatalog with a public parameterless constructor)\n"),
            (result.ExitCode, result.Error));
    }
}
