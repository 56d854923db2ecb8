using System.Globalization;
using PuppeteerSharp;
using PuppeteerSharp.Input;

namespace HighMemConcurrency.Cli.Tests.Browser;

/// <summary>
/// Opens the exported HTML timeline in headless Debian Chromium (ci/test installs it; nothing is downloaded at run
/// time) and checks what a person sees. One page load for all the checks, so the test stays fast.
/// </summary>
public sealed class HtmlTimelineBrowserTests(TimelineRun run) : IClassFixture<TimelineRun>
{
    [Fact]
    public async Task The_lost_wakeup_timeline_shows_lanes_the_bug_notes_and_steps_with_the_keyboard()
    {
        Assert.True(run.Replayed.ExitCode == ExitCodes.BugFound, run.Replayed.ToString());
        var parameters = run.Trace["parameters"]!.AsObject();
        var cpus = int.Parse(parameters["cpus"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var tasksPerCpu = int.Parse(parameters["tasksPerCpu"]!.GetValue<string>(), CultureInfo.InvariantCulture);

        await using var chromium = await HeadlessChromium.Launch();
        await using var page = await chromium.Browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 600 });
        await page.GoToAsync(new Uri(run.HtmlPath).AbsoluteUri);

        // One lane per CPU and one per task: every CPU runs a task in few-slots, plus the test body (T0 main).
        var lanes = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('.lane')].map(l => l.dataset.lane)");
        Assert.Equal(cpus + 1 + cpus * tasksPerCpu, lanes.Length);
        for (var c = 0; c < cpus; c++) Assert.Contains($"CPU{c}", lanes);
        Assert.Contains("T0 main", lanes);

        // The bug: a banner naming the lost wakeup and a marker on the failing step, which is drawn as the bug.
        Assert.Contains("lost wakeup", await Text(page, "#bug-banner"));
        Assert.StartsWith("✖ Deadlock at step ", await Text(page, "#bug-marker"));
        var bugCells = await page.QuerySelectorAllAsync(".cell.bug");
        Assert.NotEmpty(bugCells);

        // A note shows on hover: the first noted step of the run is a kmapd task taking kmap_lock in kmap_high.
        await page.HoverAsync(".cell.noted");
        var hovered = await page.EvaluateExpressionAsync<int>(
            "(() => { const t = [...document.querySelectorAll('.cell.noted')].find(c => c.matches(':hover')); return t ? +t.dataset.step : -1; })()");
        Assert.True(hovered > 0, "no noted step is under the mouse");
        Assert.Equal("block", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.getElementById('tooltip')).display"));
        Assert.Contains($"step {hovered.ToString(CultureInfo.InvariantCulture)} ", await Text(page, "#tooltip"));
        Assert.Contains("• spin_lock(kmap_lock)", await Text(page, "#tooltip"));

        // Step-through: the cursor starts at step 1; → moves it right one step at a time, End jumps to the bug.
        Assert.Equal("1", await CursorStep(page));
        var x0 = await CursorLeft(page);
        await page.Keyboard.PressAsync(Key.ArrowRight);
        await page.Keyboard.PressAsync(Key.ArrowRight);
        Assert.Equal("3", await CursorStep(page));
        Assert.True(await CursorLeft(page) > x0, "the cursor did not move right");
        Assert.StartsWith("step 3 ", await Text(page, "#detail"));
        await page.Keyboard.PressAsync(Key.End);
        var marker = await Text(page, "#bug-marker");
        Assert.EndsWith($" {await CursorStep(page)}", marker);
        Assert.Contains("✖ Deadlock", await Text(page, "#detail"));
    }

    private static Task<string> Text(IPage page, string selector) =>
        page.EvaluateExpressionAsync<string>($"document.querySelector(\"{selector}\").textContent");

    private static Task<string> CursorStep(IPage page) => page.EvaluateExpressionAsync<string>("document.getElementById('cursor').dataset.step");

    private static Task<double> CursorLeft(IPage page) =>
        page.EvaluateExpressionAsync<double>("document.getElementById('cursor').getBoundingClientRect().left");
}
