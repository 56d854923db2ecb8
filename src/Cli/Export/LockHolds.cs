using System.Text.RegularExpressions;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// Who held each lock when, read off the engine's lock operations: <c>Enter</c> or <c>TryEnter = true</c> on
/// <c>lock 'NAME'</c> acquires it, <c>Exit</c> releases it. A spin lock of the model (kmap_lock,
/// page_address_htable[n].lock, pkmap_map_wait.lock) sits on one such engine lock, so its holders show the same way.
/// </summary>
internal static partial class LockHolds
{
    [GeneratedRegex(@"^lock '(.+)'$")]
    private static partial Regex LockTarget();

    /// <summary>The lock a step acquired (<c>Enter</c>, <c>TryEnter = true</c>) or null.</summary>
    public static string? Acquired(TimelineStep s) =>
        s.Label.StartsWith("Enter ", StringComparison.Ordinal) || s.Label.StartsWith("TryEnter = true ", StringComparison.Ordinal)
            ? LockOf(s) : null;

    /// <summary>The lock a step released (<c>Exit</c>) or null.</summary>
    public static string? Released(TimelineStep s) => s.Label.StartsWith("Exit ", StringComparison.Ordinal) ? LockOf(s) : null;

    /// <summary>
    /// Every hold, ordered by lock (in order of first acquisition), then step; CPU run locks (<see cref="IsRunLock"/>)
    /// included, for who blocked whom.
    /// </summary>
    public static IReadOnlyList<TimelineHold> Build(IReadOnlyList<TimelineStep> steps)
    {
        var order = new List<string>();
        var open = new Dictionary<string, TimelineStep>();
        var holds = new List<TimelineHold>();
        foreach (var s in steps)
        {
            if (Released(s) is { } released && open.Remove(released, out var from))
                holds.Add(new TimelineHold(released, from.ThreadId, from.Task, from.Step, s.Step, false));
            if (Acquired(s) is { } acquired)
            {
                if (!order.Contains(acquired)) order.Add(acquired);
                open[acquired] = s;
            }
        }
        var last = steps[^1].Step;
        foreach (var (name, from) in open) holds.Add(new TimelineHold(name, from.ThreadId, from.Task, from.Step, last, true));
        return holds.OrderBy(h => order.IndexOf(h.Lock)).ThenBy(h => h.From).ToList();
    }

    /// <summary>The lock's holder at <paramref name="step"/> (acquired at or before it, released after it), or null.</summary>
    public static TimelineHold? HolderAt(IReadOnlyList<TimelineHold> holds, string name, int step) =>
        holds.FirstOrDefault(h => h.Lock == name && h.From <= step && (h.Open ? step <= h.To : step < h.To));

    /// <summary>
    /// cpuN.run: a task runs on CPU n while it holds it (Kernel/Core). It gets no lock lane: who holds it is who runs
    /// on that CPU, which the CPU's own lane already shows.
    /// </summary>
    public static bool IsRunLock(string name) => RunLock().IsMatch(name);

    [GeneratedRegex(@"^cpu\d+\.run$")]
    private static partial Regex RunLock();

    private static string? LockOf(TimelineStep s)
    {
        var space = s.Label.IndexOf(" lock '", StringComparison.Ordinal);
        if (space < 0) return null;
        var m = LockTarget().Match(s.Label[(space + 1)..]);
        return m.Success ? m.Groups[1].Value : null;
    }
}
