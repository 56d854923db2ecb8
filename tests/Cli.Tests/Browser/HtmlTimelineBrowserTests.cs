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
        var lanes = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('.lane:not(.lock)')].map(l => l.dataset.lane)");
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

    [Fact]
    public async Task The_sleeper_sleeps_to_the_end_the_lock_track_shows_the_holder_and_the_missed_wake_up_is_marked()
    {
        Assert.True(run.Replayed.ExitCode == ExitCodes.BugFound, run.Replayed.ToString());
        await using var chromium = await HeadlessChromium.Launch();
        await using var page = await chromium.Browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1400, Height = 700 });
        await page.GoToAsync(new Uri(run.HtmlPath).AbsoluteUri);

        // The sleeper named by the bug ("T2 'kmapd/1' waits until kmapd/1 is woken (sleeps in … on pkmap_map_wait)").
        var bug = await Text(page, "#bug-banner");
        var sleeper = System.Text.RegularExpressions.Regex.Match(bug, @"T(\d+) '([^']+)' waits until \2 is woken \(sleeps in \S+ on pkmap_map_wait\)");
        Assert.True(sleeper.Success, bug);
        var sleeperId = sleeper.Groups[1].Value;

        // Its last bar is a sleep on pkmap_map_wait, drawn (not hidden, wider than a step), labelled so, and its right
        // edge is the right edge of the failing step's cell: it sleeps until the run ends.
        var sleep = await page.EvaluateExpressionAsync<Box>($$"""
            (() => {
              const bars = [...document.querySelectorAll('.wait[data-thread="{{sleeperId}}"]')];
              const b = bars[bars.length - 1], r = b.getBoundingClientRect(), s = getComputedStyle(b);
              const bugCell = [...document.querySelectorAll('.cell.bug')].reduce((a, c) => c.getBoundingClientRect().right > a ? c.getBoundingClientRect().right : a, 0);
              return { text: b.textContent, kind: b.dataset.kind, on: b.dataset.on, open: b.dataset.open,
                       left: r.left, right: r.right, visible: s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0,
                       end: bugCell, laneTop: document.querySelector('.lane[data-lane^="T{{sleeperId}} "]').getBoundingClientRect().top, top: r.top };
            })()
            """);
        Assert.True(sleep.Visible, $"the sleeper's bar is not drawn: {sleep}");
        Assert.Equal(("sleeping", "pkmap_map_wait", "true"), (sleep.Kind, sleep.On, sleep.Open));
        Assert.Contains("sleeping on pkmap_map_wait since step ", sleep.Text);
        Assert.EndsWith("never woken", sleep.Text);
        Assert.InRange(sleep.Right, sleep.End - 3, sleep.End + 3);
        Assert.True(sleep.Right - sleep.Left > 5 * 14, $"the sleep spans fewer than 5 steps: {sleep}");
        Assert.InRange(sleep.Top, sleep.LaneTop, sleep.LaneTop + 26);   // on the sleeper's own lane

        // The missed wake-up: a label above the lanes naming the 2→1 drop and the sleeper, at a step of another task.
        var marks = await page.EvaluateExpressionAsync<Mark[]>("""
            [...document.querySelectorAll('.missed-label')].filter(l => l.dataset.step).map(l => ({
              step: +l.dataset.step, text: l.textContent, right: l.getBoundingClientRect().right,
              x: document.querySelector('.missed-line[data-step="' + l.dataset.step + '"]').getBoundingClientRect().left }))
            """);
        Assert.NotEmpty(marks);
        var last = marks[^1];
        Assert.Matches(@"^⚠ missed wake_up: pkmap_count\[\d+\] 2→1 while " + System.Text.RegularExpressions.Regex.Escape(sleeper.Groups[2].Value) +
                       " sleeps on pkmap_map_wait; no wake_up followed$", last.Text);

        // At that step the kunmapping task holds kmap_lock: the kmap_lock lane's bar under the mark names it, and the
        // step's own cell belongs to the same task.
        var holder = await page.EvaluateExpressionAsync<string>($$"""
            (() => {
              const x = {{last.X.ToString(CultureInfo.InvariantCulture)}} + 1;
              const h = [...document.querySelectorAll('.hold[data-lock="kmap_lock"]')]
                .find(b => { const r = b.getBoundingClientRect(); return r.left <= x && x <= r.right; });
              return h ? h.textContent : '';
            })()
            """);
        var marker = await page.EvaluateExpressionAsync<string>(
            $"[...document.querySelectorAll('.lane.task')].find(l => l.getBoundingClientRect().top < document.querySelector('.cell[data-step=\"{last.Step}\"]').getBoundingClientRect().top + 5 && document.querySelector('.cell[data-step=\"{last.Step}\"]').getBoundingClientRect().top < l.getBoundingClientRect().bottom).dataset.lane");
        Assert.False(string.IsNullOrEmpty(holder), "no kmap_lock holder is drawn under the missed wake-up");
        Assert.EndsWith(" " + holder, marker);
        Assert.NotEqual(sleeper.Groups[2].Value, holder);

        // Stepping to the missed wake-up, the detail panel says who sleeps and who holds kmap_lock there.
        await page.ClickAsync($".cell[data-step=\"{last.Step}\"]");
        var detail = await Text(page, "#detail");
        Assert.Contains($"waiting: {sleeper.Groups[2].Value}: sleeping on pkmap_map_wait", detail);
        Assert.Contains($"lock: kmap_lock held by {holder}", detail);
        Assert.Contains("⚠ missed wake_up", detail);
    }

    /// <summary>Where the sleeper's last bar is and what it says.</summary>
    public sealed record Box(string Text, string Kind, string On, string Open, double Left, double Right, bool Visible, double End,
        double LaneTop, double Top);

    /// <summary>A missed wake-up's label and where its dashed line is.</summary>
    public sealed record Mark(int Step, string Text, double Right, double X);

    private static Task<string> Text(IPage page, string selector) =>
        page.EvaluateExpressionAsync<string>($"document.querySelector(\"{selector}\").textContent");

    private static Task<string> CursorStep(IPage page) => page.EvaluateExpressionAsync<string>("document.getElementById('cursor').dataset.step");

    private static Task<double> CursorLeft(IPage page) =>
        page.EvaluateExpressionAsync<double>("document.getElementById('cursor').getBoundingClientRect().left");
}
