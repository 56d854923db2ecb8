using HighMemConcurrency.Systematic.Runtime;
using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic;

/// <summary>Entry points of the controlled-concurrency engine.</summary>
public static class SystematicTest
{
    /// <summary>The strategies <see cref="TestOptions.Strategy"/> accepts, with a one-line description each.</summary>
    public static IReadOnlyList<StrategyInfo> Strategies => StrategyFactory.All;

    /// <summary>
    /// Runs <paramref name="test"/> on a controlled main thread, once per iteration, exploring schedules with the
    /// strategy in <paramref name="options"/>; stops at the first bug.
    /// </summary>
    public static TestReport Run(Action test, TestOptions options)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new TestEngine(test, options, StrategyFactory.Create(options)).Run();
    }

    /// <summary>
    /// Re-runs the schedule recorded in <paramref name="traceJson"/>. Throws <see cref="TraceFormatException"/> for a
    /// malformed, truncated or wrong-version trace and <see cref="TraceDivergenceException"/> as soon as the
    /// execution departs from the recorded decisions. <paramref name="options"/> may override the watchdog and
    /// progress settings; the trace's own step bound, race detection and identity are always used.
    /// </summary>
    public static TestReport Replay(Action test, string traceJson, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        var trace = ScheduleTrace.Parse(traceJson);
        var baseOptions = options ?? new TestOptions();
        var replayOptions = baseOptions with
        {
            Iterations = 1,
            Seed = trace.Seed,
            Strategy = StrategyFactory.Names.Contains(trace.Strategy) ? trace.Strategy : "random",
            PctDepth = trace.PctDepth,
            MaxSteps = trace.MaxSteps,
            DetectDataRaces = trace.DetectDataRaces,
            TestName = trace.TestName,
            Parameters = trace.Parameters,
            TimeLimit = null,
        };
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
        return report;
    }
}
