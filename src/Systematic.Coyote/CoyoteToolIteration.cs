using HighMemConcurrency.Systematic.Control;
using Microsoft.Coyote.Runtime;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// One iteration of a test body when Coyote's own tool drives the iterations (<c>coyote test</c> / <c>coyote replay</c>
/// on an assembly with <c>[Microsoft.Coyote.SystematicTesting.Test]</c> methods), instead of <see cref="CoyoteTest"/>.
/// The test method calls <see cref="Run"/>; the assembly's <c>[TestIterationDispose]</c> method calls <see cref="End"/>,
/// which unwinds and joins the iteration's threads (Coyote interrupts only threads it created itself). A bug is
/// reported to Coyote as a failed assertion whose text is our <c>Kind: message</c>, so the tool's report, its
/// <c>.trace</c> and its replay carry our words; deadlocks are found from the primitives' waits, as under
/// <see cref="CoyoteTest"/>.
/// </summary>
public static class CoyoteToolIteration
{
    // The tool calls Run and End as static methods with nothing to carry state between them: the iteration in
    // progress is the one piece of state that has to live here.
    private static CoyoteExecution? s_current;
    private static int s_iterations;

    /// <summary>
    /// Runs <paramref name="test"/> as the current Coyote iteration: its threads become Coyote operations. Only
    /// <see cref="TestOptions.MaxSteps"/>, <see cref="TestOptions.DetectDataRaces"/> and
    /// <see cref="TestOptions.UncontrolledTimeout"/> of <paramref name="options"/> apply; the tool's own options choose
    /// the strategy, seed and iterations.
    /// </summary>
    /// <param name="test">The test body, as given to <see cref="CoyoteTest.Run"/>.</param>
    /// <param name="options">The step bound and detectors; null for the defaults.</param>
    public static void Run(Action test, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        options ??= new TestOptions();
        options.Validate(checkStrategy: false);
        CoyoteTest.RefuseMemoryModel(options);
        var coyote = RuntimeProvider.Current;
        var execution = new CoyoteExecution(options, Interlocked.Increment(ref s_iterations), new StepLog(), new Causality(), coyote);
        if (Interlocked.Exchange(ref s_current, execution) is { } previous) previous.Cleanup();
        // Stryker disable once Assignment : the tool reports Coyote's own failure itself; ours only keeps a later bug of ours from being reported on top
        coyote.OnFailure += e => execution.OnCoyoteFailure(e.Message);
        execution.RunRoot(test);
    }

    /// <summary>
    /// Ends the iteration <see cref="Run"/> started: interrupts every thread still parked and waits for it. Returns
    /// false when a thread ignored the interrupt (it is still running).
    /// </summary>
    // Stryker disable once NullCoalescing : false only for a thread left behind (see CoyoteEngine.Run)
    public static bool End() => Interlocked.Exchange(ref s_current, null)?.Cleanup() ?? true;
}
