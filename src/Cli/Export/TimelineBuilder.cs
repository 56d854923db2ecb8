using System.Text.RegularExpressions;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// Builds a <see cref="Timeline"/> from recorded steps. Everything is read off the steps' own words (the engine's
/// operations and the model's notes), so the timeline is the same for the same trace in any process.
/// </summary>
internal static partial class TimelineBuilder
{
    // A task runs on CPU n while it holds that CPU's run lock (Kernel/Core: tasks are bound to a CPU by it).
    [GeneratedRegex(@"^lock 'cpu(\d+)\.run'$")]
    private static partial Regex RunLock();

    // KernelTask.Wake notes "wake NAME"; the arrow goes to NAME's next step.
    [GeneratedRegex(@"^wake (\S+)$")]
    private static partial Regex WakeNote();

    // Cpu.DrainIpis notes the acknowledgement; the arrow comes from the initiator's flush request.
    [GeneratedRegex(@"^CPU\d+ flushed its TLB for CPU(\d+)'s shootdown$")]
    private static partial Regex IpiAckNote();

    /// <summary>
    /// Lays out <paramref name="steps"/>; <paramref name="steps"/> must not be empty. <paramref name="bugMessage"/> is
    /// read too: a deadlock's message is the only record of what its stuck threads wait for.
    /// </summary>
    public static Timeline Build(string title, string bugKind, string bugMessage, IReadOnlyList<StepRecord> steps)
    {
        if (steps.Count == 0) throw new ArgumentException("a timeline needs at least one step", nameof(steps));
        var cpuOf = new Dictionary<int, int>();
        var laid = new List<TimelineStep>(steps.Count);
        foreach (var s in steps)
        {
            var label = s.Target is null ? s.Operation : $"{s.Operation} {s.Target}";
            var run = s.Target is null ? null : RunLock().Match(s.Target);
            if (run is { Success: true } && (s.Operation == "Enter" || s.Operation.StartsWith("TryEnter = true", StringComparison.Ordinal)))
                cpuOf[s.ThreadId] = int.Parse(run.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            int? cpu = cpuOf.TryGetValue(s.ThreadId, out var c) ? c : null;
            laid.Add(new TimelineStep(s.Step, s.ThreadId, s.ThreadName, cpu, label, StateOf(s, label), s.Notes));
            if (run is { Success: true } && s.Operation == "Exit") cpuOf.Remove(s.ThreadId);
        }

        var lanes = new List<TimelineLane>();
        foreach (var cpu in laid.Where(s => s.Cpu is not null).Select(s => s.Cpu!.Value).Distinct().Order())
            lanes.Add(new TimelineLane(lanes.Count, $"CPU{cpu}", cpu, null));
        foreach (var t in laid.GroupBy(s => s.ThreadId).OrderBy(g => g.Key))
            lanes.Add(new TimelineLane(lanes.Count, $"T{t.Key} {t.First().Task}", null, t.Key));

        var allHolds = LockHolds.Build(laid);
        var holds = allHolds.Where(h => !LockHolds.IsRunLock(h.Lock)).ToList();
        foreach (var name in holds.Select(h => h.Lock).Distinct())
            lanes.Add(new TimelineLane(lanes.Count, name, null, null, name));
        var waits = WaitIntervals.Build(laid, allHolds, bugMessage);
        return new Timeline(title, bugKind, bugMessage, lanes, laid, Flows(laid), laid[^1].Step, waits, holds,
            MissedWakeups.Build(laid, waits));
    }

    // WaitUntil's object says why the task waits: "(spinning on CPU2 …)" for a spin lock, "sleeps in …" for a wait queue.
    private static string StateOf(StepRecord s, string label)
    {
        if (s.Operation.StartsWith("WaitUntil", StringComparison.Ordinal))
            return label.Contains("spinning", StringComparison.Ordinal) ? "spinning" : "sleeping";
        if (s.Notes.Any(n => n.Contains(" takes IRQ ", StringComparison.Ordinal) || n.Contains(" takes NMI ", StringComparison.Ordinal)))
            return "irq";
        if (s.Operation.Contains("IPI handler", StringComparison.Ordinal)) return "ipi";
        return "running";
    }

    private static List<TimelineFlow> Flows(IReadOnlyList<TimelineStep> steps)
    {
        var flows = new List<TimelineFlow>();
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var note in steps[i].Notes)
            {
                var wake = WakeNote().Match(note);
                if (wake.Success)
                {
                    var woken = Next(steps, i, s => s.Task == wake.Groups[1].Value);
                    if (woken is not null) flows.Add(new TimelineFlow(steps[i].Step, woken.Step, "wake"));
                }
                var ack = IpiAckNote().Match(note);
                if (ack.Success)
                {
                    var initiator = int.Parse(ack.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var request = Previous(steps, i, s => s.Cpu == initiator &&
                        s.Notes.Any(n => n.StartsWith("flush_tlb_kernel_range", StringComparison.Ordinal)));
                    if (request is not null) flows.Add(new TimelineFlow(request.Step, steps[i].Step, "ipi"));
                }
            }
        }
        return flows;
    }

    private static TimelineStep? Next(IReadOnlyList<TimelineStep> steps, int from, Func<TimelineStep, bool> match)
    {
        for (var j = from + 1; j < steps.Count; j++) if (match(steps[j])) return steps[j];
        return null;
    }

    private static TimelineStep? Previous(IReadOnlyList<TimelineStep> steps, int from, Func<TimelineStep, bool> match)
    {
        for (var j = from; j >= 0; j--) if (match(steps[j])) return steps[j];
        return null;
    }
}
