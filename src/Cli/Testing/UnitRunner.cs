using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>Runs one <see cref="WorkUnit"/> on its engine.</summary>
internal static class UnitRunner
{
    public static UnitResult Run(TestJob job, WorkUnit unit, string engine, TimeSpan? timeLimit, IProgress<TestProgress> progress,
        CancellationToken cancellation)
    {
        var options = new TestOptions
        {
            FirstIteration = unit.FirstIteration,
            Iterations = unit.Iterations,
            Seed = unit.Slice.Seed,
            Strategy = unit.Slice.Strategy,
            PctDepth = unit.Slice.PctDepth,
            MaxSteps = job.Parameters.StepBound,
            TimeLimit = timeLimit,
            TestName = job.Scenario.Name,
            Parameters = job.Parameters.ToDictionary(),
            Progress = progress,
            Cancellation = cancellation,
        };
        var test = job.Scenario.CreateTest(job.Parameters);
        var report = engine == Engines.Coyote ? CoyoteTest.Run(test, options) : SystematicTest.Run(test, options);
        return new UnitResult(unit, report.IterationsRun, report.StepsExplored, report.Elapsed, Stop(report), report.Interleavings, report.Bug);
    }

    private static JobStop Stop(TestReport report) => report.StopReason switch
    {
        StopReason.BugFound => JobStop.BugFound,
        StopReason.Exhausted => JobStop.Exhausted,
        StopReason.TimeLimit => JobStop.TimeLimit,
        StopReason.Canceled => JobStop.Canceled,
        _ => JobStop.IterationBudget,
    };
}
