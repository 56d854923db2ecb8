using System.Globalization;
using System.Text.RegularExpressions;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// The intervals a task spent waiting, derived from the trace's steps alone. The engine records a wait only where it
/// ends: the step that passes a <c>WaitUntil</c>, a <c>Join</c> or a lock's <c>Enter</c> is the task's first step
/// after the wait, so the wait spans the steps between the task's previous step and that one. A wait that never ended
/// has no such step; a deadlock's message names it (<c>T1 'kmapd/0' waits until …</c>), and it spans to the run's end.
/// </summary>
internal static partial class WaitIntervals
{
    // KernelTask.Schedule: "kmapd/0 is woken (sleeps in TASK_UNINTERRUPTIBLE on pkmap_map_wait)".
    [GeneratedRegex(@"^(\S+) is woken \(sleeps in (\S+?)(?: on (\S+))?\)$")]
    private static partial Regex Sleep();

    // SpinLock.AcquireControlled: "kmap_lock is free (spinning on CPU0 (task kmapd/0, …))".
    [GeneratedRegex(@"^(\S+) is free \(spinning on ")]
    private static partial Regex Spin();

    // TlbShootdown: "CPU0's TLB-shootdown IPIs are acknowledged by CPU1,CPU2".
    [GeneratedRegex(@"^CPU\d+'s TLB-shootdown IPIs are acknowledged by (\S+)$")]
    private static partial Regex IpiAck();

    // DeadlockReport: "deadlock: no thread can run; T0 'main' waits to join T1 'kmapd/0'; T1 'kmapd/0' waits until …",
    // then " — " and the model's explanations. A thread's wait runs to the next "; Tn '" or the explanations.
    [GeneratedRegex(@"(?:^deadlock: no thread can run; |; )T(\d+) '[^']*' (waits .*?)(?=; T\d+ '| — |$)")]
    private static partial Regex DeadlockWait();

    [GeneratedRegex(@"^waits for lock '([^']+)', held by (.+)$")]
    private static partial Regex LockWait();

    /// <summary>Every wait, ordered by thread, then step.</summary>
    /// <param name="steps">The laid-out steps.</param>
    /// <param name="holds">Every lock hold, run locks included (<see cref="LockHolds.Build"/>): who blocked an <c>Enter</c>.</param>
    /// <param name="bugMessage">The bug's message: for a deadlock, what each stuck thread waits for.</param>
    public static IReadOnlyList<TimelineWait> Build(IReadOnlyList<TimelineStep> steps, IReadOnlyList<TimelineHold> holds,
        string bugMessage)
    {
        var last = steps[^1].Step;
        var stuck = StuckThreads(bugMessage);
        var waits = new List<TimelineWait>();
        foreach (var thread in steps.GroupBy(s => s.ThreadId).OrderBy(g => g.Key))
        {
            var own = thread.ToList();
            var mine = new List<TimelineWait>();
            for (var j = 1; j < own.Count; j++)
            {
                var from = own[j - 1].Step + 1;
                var to = own[j].Step - 1;
                if (from > to) continue;
                var wait = WaitEndedBy(own[j], from, to, holds);
                if (wait is not null) Add(mine, own, wait.Value, from, to, open: false, steps);
            }
            if (stuck.TryGetValue(thread.Key, out var text) && own[^1].Step < last)
                Add(mine, own, FromDeadlock(text), own[^1].Step + 1, last, open: true, steps);
            waits.AddRange(mine);
        }
        return waits;
    }

    /// <summary>What a wait is: its kind, what it waits for, and (a sleep) the sleeper's name, which its waker notes.</summary>
    private readonly record struct Wait(string Kind, string On, string? Sleeper = null, string? HeldBy = null);

    // The step that ends a wait says what the wait was; any other step after a gap was merely not scheduled.
    private static Wait? WaitEndedBy(TimelineStep s, int from, int to, IReadOnlyList<TimelineHold> holds)
    {
        if (s.Label.StartsWith("WaitUntil ", StringComparison.Ordinal)) return FromDescription(s.Label["WaitUntil ".Length..]);
        if (s.Label.StartsWith("Join ", StringComparison.Ordinal)) return new Wait("blocked", "join " + s.Label["Join ".Length..]);
        if (s.Label.StartsWith("wake up and re-acquire the lock after Wait", StringComparison.Ordinal))
            return new Wait("sleeping", s.Label["wake up and re-acquire the lock after Wait".Length..].Trim());
        if (LockHolds.Acquired(s) is { } name && s.Label.StartsWith("Enter ", StringComparison.Ordinal))
        {
            // Blocked only while someone else held it; a lock free at the time was a plain wait for the scheduler.
            var holder = LockHolds.HolderAt(holds, name, from);
            if (holder is null || holder.ThreadId == s.ThreadId) return null;
            return new Wait("blocked", name, HeldBy: holder.Task);
        }
        return null;
    }

    private static Wait FromDescription(string description)
    {
        var sleep = Sleep().Match(description);
        if (sleep.Success)
            return new Wait("sleeping", sleep.Groups[3].Success ? sleep.Groups[3].Value : sleep.Groups[2].Value, sleep.Groups[1].Value);
        var spin = Spin().Match(description);
        if (spin.Success) return new Wait("spinning", spin.Groups[1].Value);
        var ack = IpiAck().Match(description);
        if (ack.Success) return new Wait("blocked", $"IPI ack from {ack.Groups[1].Value}");
        return new Wait("blocked", description);
    }

    private static Wait FromDeadlock(string text)
    {
        if (text.StartsWith("waits until ", StringComparison.Ordinal)) return FromDescription(text["waits until ".Length..]);
        if (text.StartsWith("waits to join ", StringComparison.Ordinal)) return new Wait("blocked", "join " + text["waits to join ".Length..]);
        var lockWait = LockWait().Match(text);
        if (lockWait.Success) return new Wait("blocked", lockWait.Groups[1].Value, HeldBy: lockWait.Groups[2].Value);
        return new Wait("blocked", text);
    }

    private static Dictionary<int, string> StuckThreads(string bugMessage)
    {
        var stuck = new Dictionary<int, string>();
        foreach (Match m in DeadlockWait().Matches(bugMessage))
            stuck[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = m.Groups[2].Value;
        return stuck;
    }

    // A sleep ends at its wake-up, noted by the waker ("wake kmapd/0"); after it the task is runnable until it runs.
    private static void Add(List<TimelineWait> mine, List<TimelineStep> own, Wait wait, int from, int to, bool open,
        IReadOnlyList<TimelineStep> steps)
    {
        var since = Since(mine, own, wait, from);
        var woken = wait.Sleeper is null ? null
            : steps.FirstOrDefault(s => s.Step >= from && s.Step <= to && s.Notes.Contains($"wake {wait.Sleeper}"));
        var threadId = own[0].ThreadId;
        if (woken is null)
        {
            mine.Add(new TimelineWait(threadId, from, to, wait.Kind, wait.On, Label(wait, since, open), since, open));
            return;
        }
        mine.Add(new TimelineWait(threadId, from, woken.Step, wait.Kind, wait.On,
            $"{Label(wait, since, false)}, woken at step {Num(woken.Step)} by {woken.Task}", since, false));
        if (woken.Step < to)
            mine.Add(new TimelineWait(threadId, woken.Step + 1, to, "runnable", wait.On,
                $"runnable: woken at step {Num(woken.Step)} by {woken.Task}, waits to run", woken.Step + 1, open));
    }

    // A wait the task left only to serve IPIs (schedule() and a spinning lock both do) and then resumed is one wait:
    // it keeps the step it began at, so a sleep split by a TLB flush still says how long the task has slept.
    private static int Since(List<TimelineWait> mine, List<TimelineStep> own, Wait wait, int from)
    {
        if (mine.Count == 0) return from;
        var previous = mine[^1];
        if (previous.Kind != wait.Kind || previous.On != wait.On) return from;
        var between = own.Where(s => s.Step > previous.To && s.Step < from);
        return between.All(s => s.Label.StartsWith("WaitUntil ", StringComparison.Ordinal) || s.State == "ipi") ? previous.Since : from;
    }

    private static string Label(Wait wait, int since, bool open)
    {
        var what = wait.Kind switch
        {
            "sleeping" => $"sleeping on {wait.On}",
            "spinning" => $"spinning on {wait.On}",
            _ when wait.HeldBy is not null => $"blocked on {wait.On} (held by {wait.HeldBy})",
            _ when wait.On.StartsWith("join ", StringComparison.Ordinal) => $"waits to {wait.On}",
            _ => $"waits for {wait.On}",
        };
        return $"{what} since step {Num(since)}{(open ? " — never " + (wait.Kind == "sleeping" ? "woken" : "ends") : "")}";
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
