using System.Text.Json.Nodes;

namespace HighMemConcurrency.Cli.Tests.Browser;

/// <summary>The Chrome trace-event JSON of the same lost wakeup: tracks, slices, notes, arrows and the bug.</summary>
public sealed class PerfettoExportTests(TimelineRun run) : IClassFixture<TimelineRun>
{
    [Fact]
    public void The_trace_event_file_has_a_track_per_cpu_and_task_a_slice_per_step_notes_arrows_and_the_bug()
    {
        Assert.True(run.Replayed.ExitCode == ExitCodes.BugFound, run.Replayed.ToString());
        var events = JsonNode.Parse(File.ReadAllText(run.PerfettoPath))!["traceEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        string Ph(JsonObject e) => e["ph"]!.GetValue<string>();

        var tracks = events.Where(e => Ph(e) == "M" && e["name"]!.GetValue<string>() == "thread_name")
            .Select(e => e["args"]!["name"]!.GetValue<string>()).ToList();
        var cpus = int.Parse(run.Trace["parameters"]!["cpus"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        for (var c = 0; c < cpus; c++) Assert.Contains($"CPU{c}", tracks);
        Assert.Contains("T0 main", tracks);

        // Every step is a slice on its task's track (pid 2); steps are numbered 1..n without gaps.
        var taskSlices = events.Where(e => Ph(e) == "X" && e["pid"]!.GetValue<int>() == 2).Select(e => e["args"]!["step"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(1, taskSlices.Count), taskSlices);
        Assert.Contains(events, e => Ph(e) == "i" && e["name"]!.GetValue<string>().StartsWith("pkmap_count[", StringComparison.Ordinal));
        Assert.Contains(events, e => Ph(e) == "i" && e["name"]!.GetValue<string>() == "last_pkmap_nr := 0 (wrap)");
        var bug = Assert.Single(events, e => Ph(e) == "i" && e["cat"]!.GetValue<string>() == "bug");
        Assert.Equal("BUG: Deadlock", bug["name"]!.GetValue<string>());
        // Each flow starts once and finishes once.
        var starts = events.Where(e => Ph(e) == "s").Select(e => e["id"]!.GetValue<int>()).Order().ToList();
        Assert.Equal(starts, events.Where(e => Ph(e) == "f").Select(e => e["id"]!.GetValue<int>()).Order().ToList());
    }

    [Fact]
    public void The_html_page_loads_nothing_from_the_network()
    {
        var html = File.ReadAllText(run.HtmlPath);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("import ", html, StringComparison.Ordinal);
    }
}
