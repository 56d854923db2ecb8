namespace HighMemConcurrency.Systematic;

/// <summary>
/// One engine that explores the schedules of a test body built from the primitives: ours (<see cref="SystematicTest.Engine"/>)
/// or Microsoft Coyote's (<c>CoyoteTest.Engine</c> in HighMemConcurrency.Systematic.Coyote). Both take the same bodies
/// and <see cref="TestOptions"/>, and return the same <see cref="TestReport"/> with <c>hmc-trace/1</c> traces whose
/// <c>engine</c> field is <see cref="Name"/>; so a campaign, a benchmark or a test runs on either without knowing which.
/// <see cref="TestEngines"/> finds an engine by name; <see cref="TestEngineStrategies"/> checks a strategy against one.
/// </summary>
public interface ITestEngine
{
    /// <summary>The engine's name: what <c>hmc --engine</c> takes and what its traces record (<c>hmc</c>, <c>coyote</c>).</summary>
    string Name { get; }

    /// <summary>The strategies <see cref="TestOptions.Strategy"/> may name on this engine, with what each one is.</summary>
    IReadOnlyList<StrategyInfo> Strategies { get; }

    /// <summary>
    /// Runs <paramref name="test"/> once per iteration under the strategy <paramref name="options"/> names, and stops at
    /// the first bug. Throws <see cref="ArgumentException"/> (one line) for options the engine cannot run, a strategy
    /// it does not have included.
    /// </summary>
    TestReport Run(Action test, TestOptions options);

    /// <summary>
    /// Re-runs the schedule recorded in <paramref name="traceJson"/>, a trace this engine wrote. Throws
    /// <see cref="Tracing.TraceFormatException"/> for a malformed trace and <see cref="Tracing.TraceDivergenceException"/>
    /// when the execution departs from it.
    /// </summary>
    TestReport Replay(Action test, string traceJson, TestOptions? options = null);
}
