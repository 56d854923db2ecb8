using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// Runs a test body iteration after iteration under one strategy, on one pool of reused OS threads, and turns the
/// first bug into a <see cref="BugReport"/> with its trace.
/// </summary>
/// <remarks>
/// <paramref name="stopAt"/>, when given, decides per bug whether the run stops there; a bug it declines is passed
/// over and the next iteration runs (the minimizer looks for one particular bug among others).
/// </remarks>
internal sealed class TestEngine(Action test, TestOptions options, IExplorationStrategy strategy, Func<BugReport, bool>? stopAt = null)
{
    /// <summary>The last execution, for replay checks.</summary>
    public Execution? LastExecution { get; private set; }

    public TestReport Run()
    {
        var loop = new IterationLoop<BugReport>(options);
        using var pool = new WorkerPool(options.Handoff);
        var decisions = new List<Decision>();
        var log = new StepLog();
        var causality = new Causality();
        var last = options.FirstIteration + options.Iterations - 1;
        for (var iteration = options.FirstIteration; iteration <= last; iteration++)
        {
            var number = iteration;
            if (!loop.MayStart(() => strategy.InitializeIteration(number))) break;
            var execution = new Execution(options, strategy, pool, iteration, decisions, log, causality);
            LastExecution = execution;
            execution.Run(test);
            if (execution.InternalError is { } error)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            strategy.CompleteIteration(execution.Step);
            var bug = execution.BugKind is { } kind ? CreateBugReport(execution, kind) : null;
            if (bug is not null && stopAt is not null && !stopAt(bug)) bug = null;
            if (!loop.Completed(execution.Step, execution.Switches, bug, execution.Reached)) break;
        }
        return loop.Finish(bug => bug, strategy.Name, strategy.IsExhausted, strategy.Interleavings, strategy.Summary);
    }

    private BugReport CreateBugReport(Execution execution, BugKind kind) =>
        BugReports.Create(options, strategy.Name == "replay" ? options.Strategy : strategy.Name, execution.Iteration, kind,
            execution.BugMessage, execution.Decisions, execution.Log.ToRecords());
}
