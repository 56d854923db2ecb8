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

    [Theory]
    [InlineData(200, 200, "100 %")]
    [InlineData(1, 200, "<1 %")]
    [InlineData(2, 200, "1 %")]
    [InlineData(75, 200, "38 %")]
    public void A_share_is_a_whole_percent_and_a_tiny_one_is_not_zero(int schedules, int iterations, string text) =>
        Assert.Equal(text, Rendering.CoverageView.Share(schedules, iterations));
}
