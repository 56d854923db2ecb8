using System.Text;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Invariants;

/// <summary>
/// Explains a deadlock in which tasks sleep on pkmap_map_wait (spec §5 items 6–7): if some slot has count ≤ 1, a
/// wake-up was lost (a wrap would have freed that slot, but nobody woke the sleepers); if every slot is ≥ 2, the
/// pool is exhausted (H9): all slots are held by tasks that will not kunmap.
/// </summary>
public static class PkmapDeadlockDiagnosis
{
    /// <summary>The explanation, or null when nobody sleeps on pkmap_map_wait.</summary>
    public static string? Explain(Pkmap.Pkmap model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sleepers = model.Machine.Tasks
            .Where(t => !t.Finished && t.State == TaskState.Uninterruptible && model.PkmapMapWaits.Any(q => q.Name == t.WaitingOn))
            .ToList();
        if (sleepers.Count == 0) return null;
        var counts = model.PkmapCounts();
        var who = string.Join(", ", sleepers.Select(t => t.Activity is null ? t.ToString() : $"{t} ({t.Activity})"));
        var histogram = $"pkmap_count = [{string.Join(", ", counts)}]";
        var free = Enumerable.Range(0, counts.Length).Where(i => counts[i] <= 1).ToList();
        var sb = new StringBuilder();
        if (free.Count > 0)
        {
            sb.Append($"lost wakeup: {sleepers.Count} task(s) sleep on pkmap_map_wait — {who} — although slot(s) ");
            sb.Append(string.Join(", ", free.Select(i => $"{i} (count {counts[i]})")));
            sb.Append($" have count ≤ 1 and a wrap would free them; nobody will wake them; {histogram}");
        }
        else
        {
            sb.Append($"pool exhaustion (H9): every pkmap slot has count ≥ 2 and {sleepers.Count} task(s) sleep on pkmap_map_wait — {who} — ");
            sb.Append($"while the holders wait too; {histogram}");
        }
        return sb.ToString();
    }
}
