using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>
/// <c>hmc compare</c> in process over the test catalog, both engines on the counter scenario; budgets are iterations
/// with a generous per-run time limit, so the counts do not depend on the machine's load.
/// </summary>
public sealed class CompareCommandTests
{
    private static readonly string[] Budget = ["--iterations", "400", "--time-limit", "1m", "--seed", "7"];

    private static JsonElement Summary(TempDirectory dir) =>
        JsonDocument.Parse(File.ReadAllText(Assert.Single(dir.Files("*_summary-compare.json")))).RootElement;

    [Fact]
    public async Task A_variant_both_engines_find_gets_a_row_per_pair_and_the_model_a_row_per_scenario()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(["compare", "--variant", "split-add", "--seeds", "3", "--pairs", "random,pct",
            "--model-iterations", "20", "--out", dir.Path, .. Budget]);

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = Assert.Single(lines, l => l.StartsWith("| variant |", StringComparison.Ordinal));
        Assert.Equal(["variant", "scenario", "ours/coyote", "found ours", "found coyote", "median it. ours", "median it. coyote",
            "it. ratio", "sched/s ours", "sched/s coyote", "speed ratio", "ms to bug ours", "ms to bug coyote", "time ratio"], Cells(header));
        var rows = lines.Where(l => l.StartsWith("| split-add |", StringComparison.Ordinal)).Select(Cells).ToList();
        Assert.Equal(["random/random", "pct/pct"], rows.Select(r => r[2]));
        Assert.All(rows, r => Assert.Equal(("counter", "3/3", "3/3"), (r[1], r[3], r[4])));
        Assert.All(rows, r => Assert.Equal(14, r.Count));
        var models = lines.Where(l => l.StartsWith("| counter", StringComparison.Ordinal)).Select(Cells).ToList();
        Assert.Equal(["counter", "counter", "counter-b", "counter-b"], models.Select(r => r[0]));
        Assert.All(models, r => Assert.Equal(("clean (20 it.)", "clean (20 it.)"), (r[2], r[3])));
        Assert.Contains("done: 6 of 6 row(s)", result.Out);
        Assert.Contains("[1/6] split-add (random): ours 3/3", result.Error);
    }

    [Fact]
    public async Task Json_on_stdout_is_the_summary_with_every_seed_run_on_both_engines()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(["compare", "--variant", "split-add", "--seeds", "2", "--pairs", "pos:portfolio",
            "--model-iterations", "0", "--json", "--out", dir.Path, .. Budget]);

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var doc = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(Summary(dir).ToString(), doc.ToString());
        Assert.Equal(CompareSummary.FormatId, doc.GetProperty("format").GetString());
        Assert.Equal(CompareSeeds.Spread(7, 2).Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            doc.GetProperty("seeds").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["pos:portfolio"], doc.GetProperty("pairs").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(("done", false, 1), (doc.GetProperty("outcome").GetString(), doc.GetProperty("canceled").GetBoolean(),
            doc.GetProperty("plannedRows").GetInt32()));
        var row = Assert.Single(doc.GetProperty("variants").EnumerateArray());
        Assert.Equal(("split-add", "counter", "AssertionFailure"),
            (row.GetProperty("variant").GetString(), row.GetProperty("scenario").GetString(), row.GetProperty("expectedKind").GetString()));
        foreach (var (side, engine, strategy) in new[] { ("ours", "hmc", "pos"), ("coyote", "coyote", "portfolio") })
        {
            var s = row.GetProperty(side);
            Assert.Equal((engine, strategy, 2, 2), (s.GetProperty("engine").GetString(), s.GetProperty("strategy").GetString(),
                s.GetProperty("found").GetInt32(), s.GetProperty("seedCount").GetInt32()));
            Assert.True(s.GetProperty("medianIterationsToBug").GetDouble() >= 1);
            var runs = s.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(doc.GetProperty("seeds").EnumerateArray().Select(x => x.GetString()), runs.Select(r => r.GetProperty("seed").GetString()));
            Assert.All(runs, r => Assert.True(File.Exists(r.GetProperty("trace").GetString()), r.ToString()));
        }
        Assert.Empty(doc.GetProperty("model").EnumerateArray());
    }

    [Fact]
    public async Task A_variant_never_found_has_no_median_and_no_ratio()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(TestCatalog.WithUnfindable(), ["compare", "--variant", "harmless", "--seeds", "2", "--pairs", "random",
            "--iterations", "30", "--time-limit", "1m", "--model-iterations", "0", "--out", dir.Path]);

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var row = Cells(Assert.Single(result.Out.Split('\n'), l => l.StartsWith("| harmless |", StringComparison.Ordinal)).TrimEnd());
        Assert.Equal(["0/2", "0/2", "—", "—", "—"], row.Skip(3).Take(5));
        Assert.Equal(["—", "—", "—"], row.Skip(11));
    }

    [Theory]
    [InlineData("compare --pairs dfs:dfs", "unknown coyote strategy 'dfs' (valid: random, pct, pct-fair, probabilistic, delay-bounding, qlearning, portfolio)")]
    [InlineData("compare --pairs qlearning", "unknown hmc strategy 'qlearning'")]
    [InlineData("compare --pairs pct:", "--pairs expects OURS:COYOTE")]
    [InlineData("compare --seeds 0", "--seeds expects an integer from 1 to 100, got '0'")]
    [InlineData("compare --variant split-add,nope", "unknown variant 'nope' (valid: split-add, unlocked, none, all)")]
    [InlineData("compare --variant none --model-iterations 0", "nothing to compare")]
    public async Task Bad_options_are_one_line_and_exit_2(string args, string message)
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run([.. args.Split(' '), "--out", dir.Path]);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains(message, Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public void Seeds_are_spread_apart_distinct_32_bit_and_repeatable()
    {
        var seeds = CompareSeeds.Spread(1, 20);

        Assert.Equal(seeds, CompareSeeds.Spread(1, 20));
        Assert.Equal(20, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.InRange(s, 1UL, uint.MaxValue));
        // Coyote adds one per iteration: seeds closer than a run's iterations would overlap.
        var sorted = seeds.Order().ToList();
        Assert.All(sorted.Zip(sorted.Skip(1)), p => Assert.True(p.Second - p.First > 1_000_000, $"{p.First} and {p.Second} are close"));
        Assert.NotEqual(seeds, CompareSeeds.Spread(2, 20));
    }

    private static List<string> Cells(string row) =>
        row.Trim('|').Split(" | ").Select(c => c.Trim()).ToList();
}
