using HighMemConcurrency.Systematic.Runtime;
using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic;

/// <summary>Entry points of the controlled-concurrency engine.</summary>
public static class SystematicTest
{
    /// <summary>The strategies <see cref="TestOptions.Strategy"/> accepts, with a one-line description each.</summary>
    public static IReadOnlyList<StrategyInfo> Strategies => StrategyFactory.All;

    /// <summary>This engine behind the contract both engines implement (<c>hmc</c>): <see cref="Run"/> and <see cref="Replay"/>.</summary>
    public static ITestEngine Engine { get; } = new Engines.HmcTestEngine();

    /// <summary>
    /// Iterations per learning block. A strategy that learns from earlier iterations (PCT's estimate of an
    /// execution's length) starts afresh at iterations 1, 1 + B, 1 + 2B...; so iteration i's schedule depends only on
    /// the seed and the iterations of its own block before it, and a run with <see cref="TestOptions.FirstIteration"/>
    /// at a block boundary repeats those iterations of one long run exactly, in any process.
    /// </summary>
    public const int IterationBlock = 1000;

    /// <summary>
    /// Whether <paramref name="strategy"/> draws each iteration from (seed, iteration) and may start at any
    /// <see cref="TestOptions.FirstIteration"/> (random, pct, pos); the systematic ones enumerate a space from its start.
    /// </summary>
    /// <param name="strategy">A name from <see cref="Strategies"/>.</param>
    public static bool CanStartAnywhere(string strategy) => Engine.FindStrategy(strategy)?.Samples == true;

    /// <summary>
    /// Runs <paramref name="test"/> on a controlled main thread, once per iteration, exploring schedules with the
    /// strategy in <paramref name="options"/>; stops at the first bug.
    /// </summary>
    public static TestReport Run(Action test, TestOptions options)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.FirstIteration != 1 && !CanStartAnywhere(options.Strategy))
            throw new ArgumentException($"strategy '{options.Strategy}' enumerates its space from the start: FirstIteration must be 1", nameof(options));
        return new TestEngine(test, options, StrategyFactory.Create(options)).Run();
    }

    /// <summary>
    /// Re-runs the schedule recorded in <paramref name="traceJson"/>. Throws <see cref="TraceFormatException"/> for a
    /// malformed, truncated or wrong-version trace and <see cref="TraceDivergenceException"/> as soon as the
    /// execution departs from the recorded decisions. <paramref name="options"/> may override the watchdog and
    /// progress settings; the trace's own step bound, race detection and identity are always used.
    /// </summary>
    public static TestReport Replay(Action test, string traceJson, TestOptions? options = null) =>
        ReplayCounted(test, traceJson, options).Report;

    /// <summary>
    /// Searches for a schedule that reproduces the bug of <paramref name="traceJson"/> — the same
    /// <see cref="BugKind"/> and, for a named invariant (<c>invariant P2 violated</c>), the same invariant — with the
    /// fewest preemptions, then the fewest steps. First, greedily, each preemption of the best trace so far is taken
    /// out (the preempted thread runs on until it blocks, then the others follow their recorded order) until none
    /// can be; then preemption-bounded DFS with bounds 0 … min(best, 3), each given <see cref="TestOptions.Iterations"/>
    /// schedules, looks for fewer preemptions or, at the best bound, fewer steps. <see cref="TestOptions.TimeLimit"/>
    /// bounds the whole search. Every candidate is validated by replaying its trace; the original is kept when
    /// nothing better is found. Throws <see cref="ArgumentException"/> when the trace does not reproduce a bug.
    /// </summary>
    public static MinimizeResult Minimize(Action test, string traceJson, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        return new Minimizing.TraceMinimizer(test, traceJson, options ?? new TestOptions()).Run();
    }

    /// <summary>Replays a trace and finds its preemptions (switches away from a thread that could have gone on).</summary>
    internal static (TestReport Report, IReadOnlyList<int> PreemptionPoints) ReplayCounted(Action test, string traceJson, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        var trace = ScheduleTrace.Parse(traceJson);
        // Another engine's trace replays on that engine; its preemptions are not ours to count.
        if (trace.Engine != ScheduleTrace.DefaultEngine) return (TestEngines.ForTrace(trace.Engine).Replay(test, traceJson, options), []);
        var replayOptions = trace.ToReplayOptions(options, StrategyFactory.Names);
        replayOptions.Validate();
        var replay = new ReplayStrategy(trace.Decisions);
        var engine = new TestEngine(test, replayOptions, replay);
        var report = engine.Run();
        var consumed = replay.Consumed;
        if (consumed < trace.Decisions.Count)
        {
            var ending = report.Bug is null ? "finished clean" : $"stopped with {report.Bug.Kind}";
            throw new TraceDivergenceException(engine.LastExecution?.Step ?? 0,
                $"the execution {ending} after {consumed} decisions but the trace has {trace.Decisions.Count}");
        }
        return (report, replay.PreemptionPoints.ToArray());
    }
}
