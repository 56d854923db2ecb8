using System.Diagnostics;
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
        var clock = Stopwatch.StartNew();
        var nextProgress = options.ProgressInterval;
        long steps = 0, switches = 0;
        var iterations = 0;
        BugReport? bug = null;
        var stop = StopReason.IterationBudget;
        using var pool = new WorkerPool(options.Handoff);
        var decisions = new List<Decision>();
        var log = new StepLog();
        var causality = new Causality();
        var last = options.FirstIteration + options.Iterations - 1;
        for (var iteration = options.FirstIteration; iteration <= last; iteration++)
        {
            if (options.Cancellation.IsCancellationRequested)
            {
                stop = StopReason.Canceled;
                break;
            }
            if (options.TimeLimit is { } limit && clock.Elapsed >= limit)
            {
                stop = StopReason.TimeLimit;
                break;
            }
            if (!strategy.InitializeIteration(iteration))
            {
                stop = StopReason.Exhausted;
                break;
            }
            var execution = new Execution(options, strategy, pool, iteration, decisions, log, causality);
            LastExecution = execution;
            execution.Run(test);
            iterations++;
            steps += execution.Step;
            switches += execution.Switches;
            if (execution.InternalError is { } error)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            strategy.CompleteIteration(execution.Step);
            if (execution.BugKind is { } kind)
            {
                var found = CreateBugReport(execution, kind);
                if (stopAt is null || stopAt(found))
                {
                    bug = found;
                    stop = StopReason.BugFound;
                    break;
                }
            }
            if (options.Progress is { } progress && clock.Elapsed >= nextProgress)
            {
                progress.Report(new TestProgress(iterations, steps, clock.Elapsed));
                nextProgress = clock.Elapsed + options.ProgressInterval;
            }
        }
        if (stop == StopReason.IterationBudget && strategy.IsExhausted) stop = StopReason.Exhausted;
        options.Progress?.Report(new TestProgress(iterations, steps, clock.Elapsed));
        return new TestReport(bug, iterations, steps, switches, clock.Elapsed, stop == StopReason.Exhausted, strategy.Name, options.Seed, stop,
            strategy.Interleavings, strategy.Summary);
    }

    private BugReport CreateBugReport(Execution execution, BugKind kind) =>
        BugReports.Create(options, strategy.Name == "replay" ? options.Strategy : strategy.Name, execution.Iteration, kind,
            execution.BugMessage, execution.Decisions, execution.Log.ToRecords());
}
