using System.Text;
using System.Text.Json;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// Writes a <see cref="Timeline"/> as Chrome trace-event JSON (the "JSON Object Format" that the Perfetto UI and
/// chrome://tracing load): a process of CPU tracks, one of task tracks (each step a slice, each wait a slice spanning
/// the steps it waited, named by what it waits for) and one of lock tracks (each hold a slice named by its holder). Time is logical: step k starts at k × <see cref="StepMicros"/> µs, so the file is the same
/// for the same trace and the distance between slices counts steps, not seconds.
/// </summary>
internal static class PerfettoExporter
{
    /// <summary>The width of one step in trace time (µs); wide enough for a label to show at a moderate zoom.</summary>
    public const int StepMicros = 10;

    private const int CpuProcess = 1;
    private const int TaskProcess = 2;
    private const int LockProcess = 3;

    public static string Export(Timeline timeline)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("displayTimeUnit", "ns");
            w.WriteStartObject("metadata");
            w.WriteString("title", timeline.Title);
            w.WriteString("bug", $"{timeline.BugKind}: {timeline.BugMessage}");
            w.WriteString("time", $"logical: step k starts at {StepMicros}*k us");
            w.WriteEndObject();
            w.WriteStartArray("traceEvents");
            Metadata(w, CpuProcess, "process_name", "CPUs");
            Metadata(w, TaskProcess, "process_name", "tasks");
            if (timeline.Holds.Count > 0) Metadata(w, LockProcess, "process_name", "locks");
            var lockTrack = new Dictionary<string, int>();
            foreach (var lane in timeline.Lanes)
            {
                if (lane.Cpu is { } cpu) Metadata(w, CpuProcess, "thread_name", lane.Name, cpu);
                else if (lane.ThreadId is { } tid) Metadata(w, TaskProcess, "thread_name", lane.Name, tid);
                else if (lane.Lock is { } name)
                {
                    lockTrack[name] = lane.Index;
                    Metadata(w, LockProcess, "thread_name", lane.Name, lane.Index);
                }
            }
            foreach (var wait in timeline.Waits) WaitSlice(w, wait);
            foreach (var hold in timeline.Holds) HoldSlice(w, hold, lockTrack[hold.Lock]);
            var byStep = new Dictionary<int, TimelineStep>();
            foreach (var s in timeline.Steps)
            {
                byStep[s.Step] = s;
                var failing = s.Step == timeline.FailingStep;
                Slice(w, s, TaskProcess, s.ThreadId, s.Label, failing, timeline);
                if (s.Cpu is { } cpu) Slice(w, s, CpuProcess, cpu, s.Task, failing, timeline);
                foreach (var note in s.Notes) Instant(w, note, "note", Ts(s) + StepMicros / 2, TaskProcess, s.ThreadId, "t");
            }
            Instant(w, $"BUG: {timeline.BugKind}", "bug", Ts(byStep[timeline.FailingStep]) + StepMicros / 2, TaskProcess,
                byStep[timeline.FailingStep].ThreadId, "g");
            var id = 0;
            foreach (var f in timeline.Flows)
            {
                id++;
                Flow(w, "s", f, id, byStep[f.From], Ts(byStep[f.From]) + StepMicros / 2);
                Flow(w, "f", f, id, byStep[f.To], Ts(byStep[f.To]) + StepMicros / 2);
            }
            foreach (var m in timeline.Marks)
            {
                var at = (long)m.Step * StepMicros + StepMicros / 2;
                Instant(w, m.Label, m.Kind, at, TaskProcess, m.ThreadId, "t");
                // An arrow from the step that should have woken the sleeper to the sleep it left going on.
                foreach (var sleeper in m.Sleepers)
                {
                    id++;
                    MissedFlow(w, "s", id, at, m.ThreadId);
                    MissedFlow(w, "f", id, at, sleeper);
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static long Ts(TimelineStep s) => (long)s.Step * StepMicros;

    private static void Metadata(Utf8JsonWriter w, int pid, string name, string value, int tid = 0)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", name);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Slice(Utf8JsonWriter w, TimelineStep s, int pid, int tid, string name, bool failing, Timeline t)
    {
        w.WriteStartObject();
        w.WriteString("ph", "X");
        w.WriteString("name", name);
        w.WriteString("cat", failing ? "bug" : s.State);
        w.WriteNumber("ts", Ts(s));
        w.WriteNumber("dur", StepMicros);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteNumber("step", s.Step);
        w.WriteString("task", s.Task);
        w.WriteString("state", s.State);
        if (s.Cpu is { } cpu) w.WriteString("cpu", $"CPU{cpu}");
        if (s.Notes.Count > 0) w.WriteString("notes", string.Join("\n", s.Notes));
        if (failing) w.WriteString("bug", $"{t.BugKind}: {t.BugMessage}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // A wait spans whole steps: from the start of step From to the end of step To, between the task's own slices.
    private static void WaitSlice(Utf8JsonWriter w, TimelineWait wait)
    {
        w.WriteStartObject();
        w.WriteString("ph", "X");
        w.WriteString("name", wait.Label);
        w.WriteString("cat", wait.Kind);
        w.WriteNumber("ts", (long)wait.From * StepMicros);
        w.WriteNumber("dur", (long)(wait.To - wait.From + 1) * StepMicros);
        w.WriteNumber("pid", TaskProcess);
        w.WriteNumber("tid", wait.ThreadId);
        w.WriteStartObject("args");
        w.WriteString("state", wait.Kind);
        w.WriteString("waits for", wait.On);
        w.WriteNumber("since step", wait.Since);
        w.WriteNumber("from step", wait.From);
        w.WriteNumber("to step", wait.To);
        if (wait.Open) w.WriteString("ends", "never: still waiting when the run ended");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // A hold spans its acquiring and releasing steps both: the lock is taken during the first and dropped in the last.
    private static void HoldSlice(Utf8JsonWriter w, TimelineHold hold, int track)
    {
        w.WriteStartObject();
        w.WriteString("ph", "X");
        w.WriteString("name", hold.Task);
        w.WriteString("cat", "lock");
        w.WriteNumber("ts", (long)hold.From * StepMicros);
        w.WriteNumber("dur", (long)(hold.To - hold.From + 1) * StepMicros);
        w.WriteNumber("pid", LockProcess);
        w.WriteNumber("tid", track);
        w.WriteStartObject("args");
        w.WriteString("lock", hold.Lock);
        w.WriteString("holder", $"T{hold.ThreadId} {hold.Task}");
        w.WriteNumber("acquired at step", hold.From);
        if (hold.Open) w.WriteString("released", "never: still held when the run ended");
        else w.WriteNumber("released at step", hold.To);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void MissedFlow(Utf8JsonWriter w, string phase, int id, long ts, int tid)
    {
        w.WriteStartObject();
        w.WriteString("ph", phase);
        w.WriteString("name", "missed wake_up");
        w.WriteString("cat", "missed-wakeup");
        w.WriteNumber("id", id);
        w.WriteNumber("ts", ts);
        w.WriteNumber("pid", TaskProcess);
        w.WriteNumber("tid", tid);
        if (phase == "f") w.WriteString("bp", "e");
        w.WriteEndObject();
    }

    private static void Instant(Utf8JsonWriter w, string name, string cat, long ts, int pid, int tid, string scope)
    {
        w.WriteStartObject();
        w.WriteString("ph", "i");
        w.WriteString("name", name);
        w.WriteString("cat", cat);
        w.WriteNumber("ts", ts);
        w.WriteNumber("pid", pid);
        w.WriteNumber("tid", tid);
        w.WriteString("s", scope);
        w.WriteEndObject();
    }

    private static void Flow(Utf8JsonWriter w, string phase, TimelineFlow f, int id, TimelineStep at, long ts)
    {
        w.WriteStartObject();
        w.WriteString("ph", phase);
        w.WriteString("name", f.Kind == "wake" ? "wake → woken" : "IPI → ack");
        w.WriteString("cat", f.Kind);
        w.WriteNumber("id", id);
        w.WriteNumber("ts", ts);
        w.WriteNumber("pid", TaskProcess);
        w.WriteNumber("tid", at.ThreadId);
        if (phase == "f") w.WriteString("bp", "e");
        w.WriteEndObject();
    }
}
