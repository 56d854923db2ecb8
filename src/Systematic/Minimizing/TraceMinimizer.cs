using System.Diagnostics;
using System.Text.RegularExpressions;
using HighMemConcurrency.Systematic.Runtime;
using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Minimizing;

/// <summary>
/// Shrinks a bug trace to the fewest preemptions, then the fewest steps (see <see cref="SystematicTest.Minimize"/>).
/// A bug with few preemptions is the one a person can follow: the context switches that remain are the ones the
/// bug needs. Preemption-bounded DFS with increasing bounds finds, within its budget, a schedule with the fewest
/// (the CHESS observation that most bugs need very few); each candidate is replayed before it is believed.
/// </summary>
internal sealed partial class TraceMinimizer(Action test, string traceJson, TestOptions options)
{
    // Invariant: _best reproduces the original bug (validated by replay) and no validated candidate seen so far has
    // fewer (preemptions, steps).
    private (BugReport Bug, IReadOnlyList<int> Preemptions) _best;
    private BugKind _kind;
    private string? _invariant;
    private int _tried;
    private int _reproduced;

    // Beyond a few preemptions the bounded space is too large for a budget of schedules to say anything.
    private const int MaxSearchedBound = 3;

    public MinimizeResult Run()
    {
        var trace = ScheduleTrace.Parse(traceJson);
        var (report, preemptions) = SystematicTest.ReplayCounted(test, traceJson, options);
        var originalPreemptions = preemptions.Count;
        var original = report.Bug ?? throw new ArgumentException("the trace does not reproduce a bug: its replay finishes clean", nameof(traceJson));
        _kind = original.Kind;
        _invariant = InvariantOf(original.Message);
        _best = (original, preemptions);

        var clock = Stopwatch.StartNew();
        var searchOptions = trace.RecordedOptions(options) with { Strategy = "dfs", Progress = null };
        searchOptions.Validate();
        TimeSpan? Left() => options.TimeLimit - clock.Elapsed;
        bool OutOfTime() => Left() <= TimeSpan.Zero || options.Cancellation.IsCancellationRequested;

        // Greedy: take out one preemption at a time, restarting from the first after every success.
        for (var improved = true; improved && !OutOfTime();)
        {
            improved = false;
            foreach (var (point, wholeRun) in _best.Preemptions.SelectMany(p => new[] { (p, false), (p, true) }))
            {
                if (OutOfTime()) break;
                var before = (_best.Preemptions.Count, _best.Bug.Steps.Count);
                var guide = ScheduleTrace.Parse(_best.Bug.TraceJson).Decisions;
                new TestEngine(test, searchOptions with { Iterations = 1, TimeLimit = null }, new GuidedStrategy(guide, point, wholeRun), bug =>
                {
                    if (Matches(bug)) Consider(bug);
                    return true;
                }).Run();
                if ((_best.Preemptions.Count, _best.Bug.Steps.Count).CompareTo(before) < 0)
                {
                    improved = true;
                    break;
                }
            }
        }

        // Bounded DFS: fewer preemptions the guide could not reach, or fewer steps at the best bound.
        for (var bound = 0; bound <= Math.Min(_best.Preemptions.Count, MaxSearchedBound); bound++)
        {
            var left = Left();
            if (left <= TimeSpan.Zero || options.Cancellation.IsCancellationRequested) break;
            var found = false;
            var engine = new TestEngine(test, searchOptions with { PreemptionBound = bound, TimeLimit = left }, new DfsStrategy(bound), bug =>
            {
                if (!Matches(bug)) return false;
                found = true;
                Consider(bug);
                return _best.Bug.Steps.Count <= 1;
            });
            engine.Run();
            if (found) break;
        }
        return new MinimizeResult(original, originalPreemptions, _best.Bug, _best.Preemptions.Count, _tried, _reproduced);
    }

    private void Consider(BugReport candidate)
    {
        _tried++;
        var (replayed, preemptions) = SystematicTest.ReplayCounted(test, candidate.TraceJson, options);
        if (replayed.Bug is not { } bug || !Matches(bug)) return;
        _reproduced++;
        if (preemptions.Count < _best.Preemptions.Count || (preemptions.Count == _best.Preemptions.Count && bug.Steps.Count < _best.Bug.Steps.Count))
            _best = (bug, preemptions);
    }

    private bool Matches(BugReport bug) => bug.Kind == _kind && InvariantOf(bug.Message) == _invariant;

    /// <summary>The invariant a message names (<c>invariant P2 violated</c> → P2), or null.</summary>
    internal static string? InvariantOf(string message) => InvariantName().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"invariant (\S+) violated")]
    private static partial Regex InvariantName();
}
