using System.Globalization;
using System.Text.RegularExpressions;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// Finds the kunmap_high that should have woken pkmap_map_wait and did not. The kernel's kunmap_high wakes the queue
/// when a slot's count drops to 1 (the slot becomes free at the next wrap) and waitqueue_active() says someone sleeps.
/// The trace says all three: the model notes <c>pkmap_count[N]: 2→1</c>, the queue's length is the value the
/// engine's <c>Store</c> writes to <c>atomic 'pkmap_map_wait.count'</c> (add_wait_queue and remove_wait_queue store
/// the list's new length), and a wake-up is noted <c>need_wakeup: …</c> and <c>wake_up(pkmap_map_wait): …</c>.
/// </summary>
internal static partial class MissedWakeups
{
    private const string Queue = "pkmap_map_wait";

    [GeneratedRegex(@"^pkmap_count\[(\d+)\]: 2→1$")]
    private static partial Regex DropToOne();

    [GeneratedRegex(@"^Store\((\d+)\) atomic 'pkmap_map_wait\.count'$")]
    private static partial Regex QueueLength();

    /// <summary>
    /// Every step whose 2→1 drop, with the queue non-empty, was followed by no wake-up from the same task before it
    /// took kmap_lock again or ran out of steps — counted only when it went on past the kmap_lock release, where
    /// kunmap_high's wake_up would have been, so a run cut short inside kunmap_high is not blamed.
    /// </summary>
    public static IReadOnlyList<TimelineMark> Build(IReadOnlyList<TimelineStep> steps, IReadOnlyList<TimelineWait> waits)
    {
        var marks = new List<TimelineMark>();
        var queued = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var length = QueueLength().Match(s.Label);
            if (length.Success) queued = int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
            if (queued == 0) continue;
            foreach (var note in s.Notes)
            {
                var drop = DropToOne().Match(note);
                if (!drop.Success || WokeOrCutShort(steps, i)) continue;
                var sleepers = waits.Where(w => w.Kind == "sleeping" && w.On == Queue && w.From <= s.Step && s.Step <= w.To)
                    .Select(w => w.ThreadId).Distinct().Order().ToList();
                var names = sleepers.Select(t => steps.First(x => x.ThreadId == t).Task);
                var who = sleepers.Count > 0 ? $"{string.Join(", ", names)} sleeps on {Queue}" : $"{Queue} non-empty ({queued.ToString(CultureInfo.InvariantCulture)})";
                marks.Add(new TimelineMark(s.Step, s.ThreadId, "missed-wakeup",
                    $"missed wake_up: pkmap_count[{drop.Groups[1].Value}] 2→1 while {who}; no wake_up followed", sleepers));
            }
        }
        return marks;
    }

    private static bool WokeOrCutShort(IReadOnlyList<TimelineStep> steps, int at)
    {
        var task = steps[at].ThreadId;
        var released = false;
        for (var j = at + 1; j < steps.Count; j++)
        {
            var s = steps[j];
            if (s.ThreadId != task) continue;
            if (s.Notes.Any(n => n.StartsWith("need_wakeup", StringComparison.Ordinal) ||
                                 n.StartsWith($"wake_up({Queue})", StringComparison.Ordinal))) return true;
            if (LockHolds.Released(s) == "kmap_lock") { released = true; continue; }
            if (released) return false;   // past the unlock, where the wake_up would be: none came
        }
        return true;
    }
}
