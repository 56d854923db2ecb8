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

    private static readonly HighMem.Variants.BugVariant WithFix = TestCatalog.SplitAdd with
    {
        History = new HighMem.Variants.KernelFix("0123456789ab", "counter: take the lock around the add", "v1.0", "v1.1", "all",
            "Two CPUs read the counter, both add one, both store: one update is lost.") { Verified = "a mirror of the commit" },
    };

    [Fact]
    public async Task List_history_shows_the_fix_each_variant_reproduces_and_counts_the_others()
    {
        var output = new StringWriter();
        var env = CliEnvironment.Redirected(output, new StringWriter()) with { RedirectedColumns = 300 };
        var code = await CliApp.RunAsync(["list", "--history"], new TestCatalog([new CounterScenario()], [WithFix, TestCatalog.Unlocked]), env);
        var result = new CliResult(code, output.ToString(), "");

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        var row = result.Out.Split('\n').Single(l => l.Contains("split-add") && l.Contains('│'));
        foreach (var text in new[] { "0123456789ab: counter: take the lock around the add", "v1.0", "v1.1", "all", "yes" }) Assert.Contains(text, row);
        Assert.Contains("split-add (counter): Two CPUs read the counter, both add one, both store: one update is lost.", result.Out);
        Assert.Contains("checked against a mirror of the commit", result.Out);
        Assert.Contains("1 other variant(s) reproduce a bug class of the spec with no one kernel fix behind it", result.Out);
        Assert.DoesNotContain("unlocked", result.Out);
    }

    [Fact]
    public async Task List_json_carries_a_variants_history_and_omits_it_where_there_is_none()
    {
        var result = await CliRun.Run(new TestCatalog([new CounterScenario()], [WithFix, TestCatalog.Unlocked]), "list", "--json");

        var doc = JsonOutput.Deserialize<ListDocument>(result.Out)!;
        Assert.Equal(WithFix.History, doc.Variants[0].History);
        Assert.Null(doc.Variants[1].History);
        Assert.Equal(1, result.Out.Split("\"history\"").Length - 1);
    }

    [Fact]
    public async Task An_empty_catalog_says_so()
    {
        var result = await CliRun.Run(new TestCatalog([], []), "list");
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("(none defined)", result.Out);
    }
}
