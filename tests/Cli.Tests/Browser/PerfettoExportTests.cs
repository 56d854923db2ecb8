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
        var taskSlices = events.Where(e => Ph(e) == "X" && e["pid"]!.GetValue<int>() == 2 && e["args"]!["step"] is not null)
            .Select(e => e["args"]!["step"]!.GetValue<int>()).ToList();
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
    public void The_sleeper_has_a_sleep_slice_to_the_end_and_kmap_lock_has_a_track_of_holders()
    {
        Assert.True(run.Replayed.ExitCode == ExitCodes.BugFound, run.Replayed.ToString());
        var events = JsonNode.Parse(File.ReadAllText(run.PerfettoPath))!["traceEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        string Ph(JsonObject e) => e["ph"]!.GetValue<string>();
        string Cat(JsonObject e) => e["cat"]?.GetValue<string>() ?? "";
        long End(JsonObject e) => e["ts"]!.GetValue<long>() + e["dur"]!.GetValue<long>();
        var runEnd = events.Where(e => Ph(e) == "X").Max(End);

        // The bug names the sleeper; its track ends with one slice "sleeping on pkmap_map_wait … never woken" that
        // reaches the end of the run, where its steps stopped.
        var bug = JsonNode.Parse(File.ReadAllText(run.PerfettoPath))!["metadata"]!["bug"]!.GetValue<string>();
        var sleeper = System.Text.RegularExpressions.Regex.Match(bug, @"T(\d+) '([^']+)' waits until \2 is woken");
        Assert.True(sleeper.Success, bug);
        var tid = int.Parse(sleeper.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var own = events.Where(e => Ph(e) == "X" && e["pid"]!.GetValue<int>() == 2 && e["tid"]!.GetValue<int>() == tid).ToList();
        var sleep = own.MaxBy(End)!;
        Assert.Equal("sleeping", Cat(sleep));
        Assert.StartsWith("sleeping on pkmap_map_wait since step ", sleep["name"]!.GetValue<string>());
        Assert.EndsWith("never woken", sleep["name"]!.GetValue<string>());
        Assert.Equal(runEnd, End(sleep));
        Assert.Equal("pkmap_map_wait", sleep["args"]!["waits for"]!.GetValue<string>());
        // Nothing on the sleeper's track overlaps another slice: waits sit between its steps.
        var ordered = own.OrderBy(e => e["ts"]!.GetValue<long>()).ToList();
        for (var i = 1; i < ordered.Count; i++) Assert.True(End(ordered[i - 1]) <= ordered[i]["ts"]!.GetValue<long>(), ordered[i].ToJsonString());

        // A "locks" process with a kmap_lock track whose slices are its holders, none overlapping.
        var locks = Assert.Single(events, e => Ph(e) == "M" && e["name"]!.GetValue<string>() == "process_name" &&
                                                e["args"]!["name"]!.GetValue<string>() == "locks")["pid"]!.GetValue<int>();
        var kmapLock = Assert.Single(events, e => Ph(e) == "M" && e["pid"]!.GetValue<int>() == locks &&
                                                   e["args"]!["name"]!.GetValue<string>() == "kmap_lock")["tid"]!.GetValue<int>();
        var holds = events.Where(e => Ph(e) == "X" && e["pid"]!.GetValue<int>() == locks && e["tid"]!.GetValue<int>() == kmapLock)
            .OrderBy(e => e["ts"]!.GetValue<long>()).ToList();
        Assert.True(holds.Count > 3, $"{holds.Count} kmap_lock holds");
        Assert.All(holds, h => Assert.StartsWith("kmapd/", h["name"]!.GetValue<string>()));
        for (var i = 1; i < holds.Count; i++) Assert.True(End(holds[i - 1]) <= holds[i]["ts"]!.GetValue<long>());

        // The missed wake-up: an instant on the kunmapping task's track, while that task holds kmap_lock, with an
        // arrow to the sleeper.
        var missed = events.Where(e => Ph(e) == "i" && Cat(e) == "missed-wakeup").ToList();
        Assert.NotEmpty(missed);
        var last = missed[^1];
        Assert.Contains($"2→1 while {sleeper.Groups[2].Value} sleeps on pkmap_map_wait; no wake_up followed", last["name"]!.GetValue<string>());
        var at = last["ts"]!.GetValue<long>();
        var holder = Assert.Single(holds, h => h["ts"]!.GetValue<long>() <= at && at < End(h));
        Assert.Equal($"T{last["tid"]!.GetValue<int>()} {holder["name"]!.GetValue<string>()}", holder["args"]!["holder"]!.GetValue<string>());
        Assert.Contains(events, e => Ph(e) == "f" && Cat(e) == "missed-wakeup" && e["tid"]!.GetValue<int>() == tid && e["ts"]!.GetValue<long>() == at);
    }

    [Fact]
    public async Task Exporting_the_same_trace_again_writes_the_same_bytes()
    {
        var trace = Directory.GetFiles(Path.Combine(run.Directory.Path, "hmc-out"), "*.trace.json").Single();
        var html = Path.Combine(run.Directory.Path, "again.html");
        var perfetto = Path.Combine(run.Directory.Path, "again.perfetto.json");
        var again = await EndToEnd.HmcProcess.Run(run.Directory.Path, "replay", trace, "--export", "html", html, "--export", "perfetto", perfetto);
        Assert.True(again.ExitCode == ExitCodes.BugFound, again.ToString());
        Assert.Equal(File.ReadAllBytes(run.HtmlPath), File.ReadAllBytes(html));
        Assert.Equal(File.ReadAllBytes(run.PerfettoPath), File.ReadAllBytes(perfetto));
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
