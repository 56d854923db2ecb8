using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>
/// Under <c>hmc test</c>'s table, each job's share of schedules per model event, a declared event no schedule
/// reached flagged as such; the JSON summary has the counts.
/// </summary>
public sealed class CoverageViewTests
{
    private static TestCatalog Catalog() => new(
    [
        new RareScenario("rare", 1000),
        new TestBodyScenario("body", "never gets there", new ScenarioParameters(), [], [], _ => () => Sim.Cover("reached"), ["reached", "unreachable"]),
    ], []);

    [Fact]
    public async Task The_table_is_followed_by_each_jobs_share_of_schedules_per_event_and_the_unreached_flagged()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(Catalog(), "test", "--iterations", "200", "--seed", "1", "--out", dir.Path);

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var lines = result.Out.ReplaceLineEndings("\n").Split('\n');
        var at = Array.IndexOf(lines, "coverage (share of each job's schedules that reached each model event):");
        Assert.True(at > 0, result.Out);
        Assert.Matches(@"^  rare: choice 100 % · drew low \d{1,2} %$", lines[at + 1]);
        Assert.Equal("  body: reached 100 % · unreachable (never reached)", lines[at + 2]);
        Assert.StartsWith("1 declared event(s) never reached: no schedule exercised them", lines[at + 3]);
    }

    [Fact]
    public async Task The_summary_counts_every_event_of_every_job()
    {
        using var dir = new TempDirectory();
        var result = await CliRun.Run(Catalog(), "test", "--iterations", "200", "--seed", "1", "--out", dir.Path, "--json");

        var summary = JsonOutput.Deserialize<TestSummary>(result.Out)!;
        var body = summary.Jobs.Single(j => j.Scenario == "body");
        Assert.Equal([new EventCoverage("reached", 200, true), new EventCoverage("unreachable", 0, true)], body.Coverage);
        var rare = summary.Jobs.Single(j => j.Scenario == "rare").Coverage!;
        Assert.Equal(("choice", 200), (rare[0].Event, rare[0].Schedules));
        Assert.InRange(rare[1].Schedules, 1, 199);
    }

    [Fact]
    public void Long_coverage_wraps_between_entries_within_the_width()
    {
        var events = Enumerable.Range(1, 12).Select(i => $"subsystem.event_{i}").ToList();
        var scenario = new TestBodyScenario("body", "many events", new ScenarioParameters(), [], [], _ => () => { }, events);
        var coverage = events.Take(11).Select((e, i) => (e, i * 9 + 1)).ToDictionary(p => p.e, p => p.Item2);
        var job = new JobOutcome(new TestJob(scenario, scenario.Defaults, "random", null),
            [new SliceOutcome(new Slice("random", 1, 3, 100), 100, 1000, TimeSpan.Zero, JobStop.IterationBudget, null, coverage)], null, null);
        var text = new StringWriter();

        Rendering.CoverageView.Render(Rendering.Consoles.Create(text, isTerminal: false, redirectedColumns: 60), [job]);

        var lines = text.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"{l.Length} > 60: {l}"));
        var at = Array.FindIndex(lines, l => l.StartsWith("  body: ", StringComparison.Ordinal));
        var end = Array.FindIndex(lines, l => l.StartsWith("1 declared", StringComparison.Ordinal));
        var entries = string.Join(" ", lines[at..end]).Split(" · ").Select(e => e.Trim()).ToList();
        Assert.Equal("body: subsystem.event_1 1 %", entries[0]);
        Assert.Equal("subsystem.event_12 (never reached)", entries[^1]);
        Assert.Equal(12, entries.Count);
        Assert.True(end - at > 3, "the entries did not wrap");
        Assert.All(lines[(at + 1)..end], l => Assert.StartsWith("    subsystem.event_", l));
    }

    [Theory]
    [InlineData(200, 200, "100 %")]
    [InlineData(1, 200, "<1 %")]
    [InlineData(2, 200, "1 %")]
    [InlineData(75, 200, "38 %")]
    public void A_share_is_a_whole_percent_and_a_tiny_one_is_not_zero(int schedules, int iterations, string text) =>
        Assert.Equal(text, Rendering.CoverageView.Share(schedules, iterations));
}
