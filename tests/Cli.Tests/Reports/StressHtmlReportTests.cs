using System.Text.RegularExpressions;
using HighMemConcurrency.Cli.Reports;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Tests.Reports;

/// <summary>The page of <c>hmc stress --html</c> from a report built here: its structure, not its pixels.</summary>
public sealed class StressHtmlReportTests
{
    private static readonly ScenarioParameters Parameters = new() { Cpus = 3, Variant = "none" };

    private static StressReport Report() => new()
    {
        Scenario = "few-slots",
        Parameters = Parameters,
        Elapsed = TimeSpan.FromSeconds(1),
        Operations = 60,
        OperationsPerCpu = [30, 30, 0],
        KmapLatency = new LatencySummary(60, 1_000, 2_000, 40_000, 70_000),
        Counters = new Dictionary<string, long>(),
        InvariantChecks = 5,
        Violations = [],
        Throughput =
        [
            new ThroughputSample(TimeSpan.Zero, TimeSpan.FromMilliseconds(500), [10, 20, 0]),
            new ThroughputSample(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), [20, 10, 0]),
        ],
        // CPU2 recorded nothing: it still gets its (empty) histogram.
        KmapLatencyPerCpu =
        [
            new CpuLatency(0, [new LatencyBucket(512, 1024, 25), new LatencyBucket(1024, 2048, 4), new LatencyBucket(65_536, 131_072, 1)]),
            new CpuLatency(1, [new LatencyBucket(1024, 2048, 30)]),
        ],
    };

    private static string Page(StressReport report) =>
        StressHtmlReport.Build(StressSummary.From(report, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1), null, ExitCodes.Clean), report);

    [Fact]
    public void The_page_has_one_throughput_chart_and_one_histogram_per_cpu_each_an_inline_svg_with_its_title()
    {
        var html = Page(Report());

        var throughput = Assert.Single(Sections(html, "<section class=\"chart throughput\""));
        Assert.Single(Regex.Matches(throughput, "<svg"));
        Assert.Contains(">Throughput over time<", Squeeze(throughput));
        foreach (var cpu in new[] { "CPU0", "CPU1", "CPU2" }) Assert.Contains($">{cpu}<", Squeeze(throughput));   // the legend
        var histograms = Sections(html, "<figure class=\"chart histogram\"");
        Assert.Equal(3, histograms.Count);
        for (var cpu = 0; cpu < 3; cpu++)
        {
            Assert.StartsWith($"<figure class=\"chart histogram\" data-cpu=\"{cpu}\"", histograms[cpu]);
            Assert.Single(Regex.Matches(histograms[cpu], "<svg"));
            Assert.Contains($">CPU{cpu} kmap latency<", Squeeze(histograms[cpu]));
        }
        Assert.Contains(">512 ns<", Squeeze(histograms[0]));   // the bucket labels: lower bounds
        Assert.Contains(">65.5 µs<", Squeeze(histograms[0]));
        Assert.Contains(">no kmaps recorded<", Squeeze(histograms[2]));
        Assert.Contains("CPU2: 0 kmaps", histograms[2]);
    }

    [Fact]
    public void The_page_is_self_contained_no_script_no_link_no_url_and_its_svg_ids_are_unique()
    {
        var html = Page(Report());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(?i)https?://", html);
        Assert.DoesNotContain("<?xml", html);
        var ids = Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (Match reference in Regex.Matches(html, @"url\(#([^)]+)\)")) Assert.Contains(reference.Groups[1].Value, ids);
    }

    [Fact]
    public void A_failed_run_lists_its_violations()
    {
        var report = Report() with { Violations = ["invariant P8 violated: <slot 1>"] };
        var html = StressHtmlReport.Build(StressSummary.From(report, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1), null, ExitCodes.BugFound), report);

        Assert.Contains("<p class=\"verdict failed\">failed: 1 invariant violation(s)</p>", html);
        Assert.Contains("<pre class=\"violation\">invariant P8 violated: &lt;slot 1&gt;</pre>", html);
    }

    [Fact]
    public void A_perturbed_run_names_its_perturbation_and_seed_and_an_unperturbed_one_says_nothing_of_it()
    {
        var report = Report();
        var perturbed = StressHtmlReport.Build(StressSummary.From(report, DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1), null, ExitCodes.Clean,
            HighMem.Scenarios.StressPerturbation.Standard with { StutterRun = TimeSpan.Zero, StutterPause = TimeSpan.Zero }, seed: 12), report);

        Assert.Contains("<p class=\"perturbation\">perturbation: delay 2% (≤1000 spins), hold 0.2% (≤2ms) at inside,outside,schedule,wake-up; " +
                        "2 tasks per CPU; phases 300ms perturbed/100ms free, seed 12</p>", perturbed);
        Assert.DoesNotContain("perturbation", Page(report));
    }

    /// <summary>Each element that starts with <paramref name="start"/>, up to its closing tag.</summary>
    private static List<string> Sections(string html, string start)
    {
        var tag = start[1..start.IndexOf(' ', StringComparison.Ordinal)];
        var found = new List<string>();
        for (var i = html.IndexOf(start, StringComparison.Ordinal); i >= 0; i = html.IndexOf(start, i + 1, StringComparison.Ordinal))
            found.Add(html[i..(html.IndexOf($"</{tag}>", i, StringComparison.Ordinal) + tag.Length + 3)]);
        return found;
    }

    /// <summary>SVG text elements hold their text on its own indented line: ">\n\t\ttitle\n\t<" reads as ">title<".</summary>
    private static string Squeeze(string html) => Regex.Replace(html, @">\s+|\s+<", m => m.Value.Trim());
}
