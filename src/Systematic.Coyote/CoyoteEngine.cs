using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Runtime;
using HighMemConcurrency.Systematic.Tracing;
using Microsoft.Coyote;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.SystematicTesting;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// Runs a test body under one Coyote <see cref="TestingEngine"/>: one <see cref="CoyoteExecution"/> per iteration, the
/// end-of-iteration clean-up Coyote leaves to us (our threads, its per-path coverage), and the first bug turned into
/// our <see cref="BugReport"/> with an <c>hmc-trace/1</c> trace that embeds Coyote's reproducible trace.
/// </summary>
internal sealed class CoyoteEngine(Action test, TestOptions options, string? replayTrace)
{
    public const string EngineName = "coyote";

    private readonly StepLog _log = new();
    private readonly Causality _causality = new();
    private IterationLoop<CoyoteExecution>? _loop;
    private CoyoteExecution? _current;
    private bool _stopRequested;
    private int _threadsLeftBehind;

    public CoyoteLog Log { get; } = new();

    /// <summary>Coyote's reproducible trace of the bug, once found.</summary>
    public string? CoyoteTrace { get; private set; }

    public CoyoteExecution? BuggyExecution => _loop?.Bug;

    public TestReport Run()
    {
        // Stryker disable once Statement : Coyote's usage telemetry (also off in the configuration) never changes a run
        Environment.SetEnvironmentVariable("COYOTE_CLI_TELEMETRY_OPTOUT", "1");
        var configuration = Configure();
        var loop = _loop = new IterationLoop<CoyoteExecution>(options);
        using (var engine = TestingEngine.Create(configuration, Root))
        {
            engine.SetLogger(Log);
            engine.RegisterEndIterationCallBack(_ => EndIteration(engine));
            engine.Run();
            if (loop.Bug is not null) CoyoteTrace = engine.ReproducibleTrace;
        }
        // An iteration without a bug ends with every thread finished or paused in Coyote's interruptible wait: a thread
        // left behind there would have to ignore an interrupt for two uncontrolled timeouts.
        // Stryker disable all : no test can make that happen without a bug, see above
        if (_threadsLeftBehind > 0 && loop.Bug is null)
            throw new InvalidOperationException($"{_threadsLeftBehind} controlled thread(s) ignored the end of their iteration and are still running");
        // Stryker restore all
        return loop.Finish(b => CreateBugReport(b, b.BugKind!.Value), options.Strategy);
    }

    private Configuration Configure()
    {
        // Our step bound reports a livelock first; Coyote's (which would end the iteration silently) lies well past it.
        // Stryker disable once Linq : Max gives int.MaxValue, which lies past our bound too
        var coyoteBound = (uint)Math.Min(int.MaxValue, 4L * options.MaxSteps + 1_000);
        // A fair strategy schedules unfairly for Coyote's unfair bound of steps and fairly after it: that switch has to
        // come before our step bound, or a correct spin-wait is reported as a livelock exactly as under the unfair one.
        // Stryker disable once Linq : Max(1, …) only keeps MaxSteps 1 from giving Coyote a bound of 0
        var unfairBound = CoyoteStrategies.IsFair(options.Strategy) ? (uint)Math.Max(1, options.MaxSteps / 2) : coyoteBound;
        var configuration = Configuration.Create()
            .WithTestingIterations((uint)options.Iterations)
            .WithRandomGeneratorSeed(Seed32(options.Seed))
            .WithMaxSchedulingSteps(unfairBound, coyoteBound)
            .WithDeadlockTimeout((uint)Math.Max(1, options.UncontrolledTimeout.TotalMilliseconds))
            .WithPotentialDeadlocksReportedAsBugs(true)
            // Stryker disable once Boolean : telemetry, as above
            .WithTelemetryEnabled(false)
            .WithConsoleLoggingEnabled(false);
        configuration = CoyoteStrategies.Apply(configuration, options);
        if (replayTrace is not null) configuration = configuration.WithReproducibleTrace(replayTrace);
        return configuration;
    }

    /// <summary>Coyote seeds are 32-bit: a wider seed is folded, the same way every time.</summary>
    // Stryker disable once Bitwise : >> and >>> are the same shift on an unsigned value
    internal static uint Seed32(ulong seed) => (uint)(seed ^ (seed >> 32));

    private void Root()
    {
        // Stryker disable once Statement : for an iteration Coyote might start after Stop; none does in the tests
        if (_stopRequested) return;
        var coyote = RuntimeProvider.Current;
        var execution = new CoyoteExecution(options, _loop!.Iterations + 1, _log, _causality, coyote);
        coyote.OnFailure += e => execution.OnCoyoteFailure(e.Message);
        _current = execution;
        execution.RunRoot(test);
    }

    private void EndIteration(TestingEngine engine)
    {
        // Coyote keeps every explored path's whole trace for its coverage report, which we never print.
        // Stryker disable Statement : memory only
        engine.TestReport.CoverageInfo.ExploredPaths.Clear();
        engine.TestReport.CoverageInfo.VisitedStates.Clear();
        // Stryker restore Statement
        var execution = _current;
        _current = null;
        // Stryker disable once Statement : as in Root, an iteration started after Stop
        if (execution is null) return;
        // Stryker disable once all : see the left-behind check in Run
        if (!execution.Cleanup()) _threadsLeftBehind++;
        // Coyote stops by itself at the first bug. Its loop has no hook before an iteration that could decline to
        // run it, so whether the next one may start is asked here, at the end of this one; later iterations Coyote
        // may still start return at once and are not counted.
        var buggy = execution.BugKind is null ? null : execution;
        if (_loop!.Completed(execution.Step, execution.Switches, buggy, execution.Reached) && !_loop.MayStart())
        {
            // Either ends the run: Stop after this iteration, the flag any iteration Coyote still starts.
            // Stryker disable once all : either alone passes, see above
            _stopRequested = true;
            // Stryker disable once all : either alone passes, see above
            engine.Stop();
        }
    }

    private BugReport CreateBugReport(CoyoteExecution execution, BugKind kind) =>
        BugReports.Create(options, options.Strategy, execution.Iteration, kind, execution.BugMessage, [], execution.Log.ToRecords(),
            EngineName, string.IsNullOrEmpty(CoyoteTrace) ? "{}" : CoyoteTrace);
}
