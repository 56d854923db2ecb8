using HighMemConcurrency.Campaigns;
using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary><c>hmc test --memory-model</c>: the model a run's schedules obey, named in the header and the traces.</summary>
public sealed class MemoryModelOptionTests
{
    [Fact]
    public async Task Under_tso_the_correct_model_runs_clean_and_the_header_names_the_model()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--memory-model", "tso", "--iterations", "40", "--seed", "5", "--out", dir.Path);

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("the correct model under memory model tso", result.Error);
        Assert.Contains("clean (budget)", result.Out);
    }

    [Fact]
    public async Task A_bug_found_under_tso_is_a_trace_that_records_the_model_and_replays()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--memory-model", "tso", "--variant", "split-add", "--iterations", "500", "--seed", "3", "--out", dir.Path);

        Assert.Equal(ExitCodes.BugFound, result.ExitCode);
        var trace = Assert.Single(dir.Files("*.trace.json"));
        using (var doc = JsonDocument.Parse(File.ReadAllText(trace)))
            Assert.Equal("tso", doc.RootElement.GetProperty("options").GetProperty("memoryModel").GetString());
        var replay = await CliRun.Run("replay", trace);
        Assert.Equal(ExitCodes.BugFound, replay.ExitCode);
        Assert.Contains("Reproduced", replay.Out);
    }

    [Fact]
    public async Task An_unknown_model_is_refused_with_the_valid_ones_before_anything_runs()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--memory-model", "power", "--out", dir.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains("unknown model 'power' (valid: sc, tso, arm)", result.Error);
        Assert.Empty(dir.Files("*"));
    }

    [Theory]
    [InlineData("tso")]
    [InlineData("arm")]
    public async Task Coyote_refuses_a_weak_model_in_one_line(string model)
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run("test", "--engine", "coyote", "--memory-model", model, "--iterations", "10", "--out", dir.Path);

        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"hmc: the coyote engine runs only memory model 'sc': its scheduler does not choose when stores become visible (memory model '{model}' runs on the hmc engine)\n",
            result.Error.ReplaceLineEndings("\n"));
        Assert.Empty(dir.Files("*"));
    }

    // A weak-memory bug found by its variant's own model: its trace replays as recorded, and the exported timelines
    // show what the model did (a store buffer's drain in its CPU's lane under tso; a load of an older store under arm).
    [Theory]
    [InlineData("unlock-page-no-barrier", "3", "tso", "store buffer: store of ")]
    [InlineData("unlock-page-no-release", "1", "arm", ", not yet the newest: ")]
    public async Task A_weak_memory_bug_replays_and_its_timelines_show_what_the_model_did(string variant, string seed, string model, string shown)
    {
        using var dir = new TempDirectory();
        var found = await CliRun.Run(ModelCatalog.Instance, "test", "--variant", variant, "--seed", seed, "--out", dir.Path);
        Assert.Equal(ExitCodes.BugFound, found.ExitCode);
        Assert.Contains($"under memory model {model} (the variant's)", found.Error);
        var trace = Assert.Single(dir.Files("*.trace.json"));
        using (var doc = JsonDocument.Parse(File.ReadAllText(trace)))
            Assert.Equal(model, doc.RootElement.GetProperty("options").GetProperty("memoryModel").GetString());

        var (html, perfetto) = (Path.Combine(dir.Path, "t.html"), Path.Combine(dir.Path, "t.perfetto.json"));
        var replay = await CliRun.Run(ModelCatalog.Instance, "replay", trace, "--export", "html", html, "--export", "perfetto", perfetto);
        Assert.Equal(ExitCodes.BugFound, replay.ExitCode);
        Assert.Contains("as recorded", replay.Out);
        Assert.Contains(shown, File.ReadAllText(perfetto));
        Assert.Contains(shown, File.ReadAllText(html));
    }
}
