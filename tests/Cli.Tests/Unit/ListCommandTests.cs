using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

public sealed class ListCommandTests
{
    [Fact]
    public async Task List_shows_scenarios_with_parameters_and_variants_with_kind_class_and_scenarios()
    {
        var result = await CliRun.RunWithColumns(300, "list");
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var line = result.Out.Split('\n').First(l => l.Contains("counter-b"));
        Assert.Contains("one thread per CPU adds to a shared counter under a lock", line);
        Assert.Contains("cpus=2 tasksPerCpu=1 lastPkmap=4 pages=1 opsPerTask=2", line);
        var lines = result.Out.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("split-add"));
        foreach (var text in new[] { "AssertionFailure", "lost update", "counter", "random" }) Assert.Contains(text, lines[at]);
        Assert.Contains("reads then writes the counter", lines[at + 1]);
    }

    [Fact]
    public async Task List_json_round_trips()
    {
        var result = await CliRun.Run("list", "--json");
        var doc = JsonOutput.Deserialize<ListDocument>(result.Out)!;
        Assert.Equal("hmc-list/1", doc.Format);
        Assert.Equal(["counter", "counter-b"], doc.Scenarios.Select(s => s.Name));
        Assert.Equal("2", doc.Scenarios[0].Defaults["cpus"]);
        Assert.Equal(["split-add", "unlocked"], doc.Variants.Select(v => v.Name));
        Assert.Equal("DataRace", doc.Variants[1].ExpectedKind);
    }

    [Fact]
    public async Task An_empty_catalog_says_so()
    {
        var result = await CliRun.Run(new TestCatalog([], []), "list");
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("(none defined)", result.Out);
    }
}
