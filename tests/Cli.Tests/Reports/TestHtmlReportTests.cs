using System.Xml.Linq;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Tests.Reports;

/// <summary>
/// <c>hmc test --html FILE</c>: a self-contained page with a section per job, its result and replay command, and its
/// coverage: a row per model event with its share of schedules, a declared event no schedule reached flagged.
/// </summary>
public sealed class TestHtmlReportTests
{
    private static TestCatalog Catalog() => new(
    [
        new RareScenario("rare", 1000),
        new TestBodyScenario("body", "never gets there", new ScenarioParameters(), [], [], _ => () => Sim.Cover("reached"), ["reached", "unreachable"]),
        new CounterScenario(),
    ], [TestCatalog.SplitAdd]);

    private static async Task<XElement> Page(TempDirectory dir, params string[] args)
    {
        var path = Path.Combine(dir.Path, "report", "run.html");
        var result = await CliRun.Run(Catalog(), [.. args, "--seed", "1", "--out", dir.Path, "--html", path]);
        Assert.True(result.ExitCode is ExitCodes.Clean or ExitCodes.BugFound, result.ToString());
        var html = File.ReadAllText(path);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http", html);
        // The page is well-formed XML but for the doctype, so it can be read as XML.
        return XElement.Parse(html["<!DOCTYPE html>".Length..]);
    }

    private static IEnumerable<XElement> Rows(XElement page, string scenario) =>
        page.Descendants("section").Single(s => (string?)s.Attribute("data-scenario") == scenario).Descendants("tr").Skip(1);

    [Fact]
    public async Task Each_job_has_its_coverage_and_an_unreached_declared_event_is_flagged()
    {
        using var dir = new TempDirectory();
        var page = await Page(dir, "test", "--iterations", "200");

        Assert.Equal(["rare", "body", "counter"], page.Descendants("section").Select(s => (string)s.Attribute("data-scenario")!));
        var body = Rows(page, "body").ToList();
        Assert.Equal(["reached declared", "unreached declared"], body.Select(r => (string)r.Attribute("class")!));
        Assert.Equal(["reached", "200", "100 %"], body[0].Elements("td").Select(td => td.Value.Trim()));
        Assert.Equal(["unreachable", "0", "never reached"], body[1].Elements("td").Select(td => td.Value.Trim()));
        Assert.Equal("width: 100%", (string)body[0].Descendants("span").Single().Attribute("style")!);
        Assert.Empty(Rows(page, "counter"));   // the counter covers nothing and declares nothing
        Assert.Equal("clean", page.Descendants("p").Single(p => ((string?)p.Attribute("class"))?.StartsWith("verdict") == true).Value);
    }

    [Fact]
    public async Task A_found_variant_shows_its_bug_and_replay_command()
    {
        using var dir = new TempDirectory();
        var page = await Page(dir, "test", "--variant", "split-add", "--iterations", "500");

        var job = page.Descendants("section").Single();
        Assert.Equal("result good", (string)job.Elements("p").First().Attribute("class")!);
        Assert.StartsWith("AssertionFailure: lost update", job.Element("pre")!.Value);
        Assert.StartsWith("hmc replay ", job.Descendants("code").Single().Value);
        Assert.EndsWith(".trace.json", job.Descendants("code").Single().Value);
    }
}
