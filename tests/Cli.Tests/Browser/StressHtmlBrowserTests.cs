using HighMemConcurrency.Cli.Tests.EndToEnd;
using HighMemConcurrency.Cli.Tests.Fakes;
using PuppeteerSharp;

namespace HighMemConcurrency.Cli.Tests.Browser;

/// <summary>
/// <c>hmc stress --html</c> on the real model, a one-second run, opened in headless Chromium: the page asks the
/// network for nothing, and a person sees the throughput chart and one drawn latency histogram per CPU.
/// </summary>
public sealed class StressHtmlBrowserTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_stress_page_loads_nothing_and_shows_the_throughput_chart_and_a_histogram_per_cpu()
    {
        var path = Path.Combine(_dir.Path, "stress.html");
        var result = await HmcProcess.Run(_dir.Path, "stress", "--scenario", "few-slots", "--cpus", "2", "--duration", "1s", "--html", path);
        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.Contains("html: stress.html", result.Out);
        var html = File.ReadAllText(path);
        Assert.DoesNotMatch("(?i)https?://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        await using var chromium = await HeadlessChromium.Launch();
        await using var page = await chromium.Browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, e) => requested.Add(e.Request.Url);
        await page.SetViewportAsync(new ViewPortOptions { Width = 1100, Height = 900 });
        await page.GoToAsync(new Uri(path).AbsoluteUri);

        Assert.Equal([new Uri(path).AbsoluteUri], requested);   // the page itself, nothing else
        var charts = await page.EvaluateExpressionAsync<Chart[]>("""
            [...document.querySelectorAll('.chart svg')].map(s => ({
              kind: s.closest('.chart').classList.contains('throughput') ? 'throughput' : 'histogram',
              cpu: s.closest('.chart').dataset.cpu ?? '',
              text: [...s.querySelectorAll('text')].map(t => t.textContent.trim()).join('|'),
              width: s.getBoundingClientRect().width,
              height: s.getBoundingClientRect().height,
              shapes: s.querySelectorAll('path, rect').length }))
            """);
        Assert.Equal(["throughput", "histogram", "histogram"], charts.Select(c => c.Kind));
        Assert.Equal(["0", "1"], charts.Skip(1).Select(c => c.Cpu));
        Assert.Contains("Throughput over time", charts[0].Text);
        Assert.Contains("CPU0 kmap latency", charts[1].Text);
        Assert.Contains("CPU1 kmap latency", charts[2].Text);
        Assert.All(charts, c => Assert.True(c.Width > 300 && c.Height > 200 && c.Shapes > 5, $"{c.Kind} {c.Cpu} is not drawn: {c}"));
        // A one-second run of few-slots kmaps thousands of times on each CPU: the histograms have bars, not the empty note.
        Assert.All(charts.Skip(1), c => Assert.DoesNotContain("no kmaps recorded", c.Text));
    }

    /// <summary>What the page shows of one chart.</summary>
    public sealed record Chart(string Kind, string Cpu, string Text, double Width, double Height, int Shapes);
}
