using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>Runs one <see cref="WorkUnit"/> on its engine.</summary>
internal static class UnitRunner
{
    public static UnitResult Run(TestJob job, WorkUnit unit, ITestEngine engine, TimeSpan? timeLimit, IProgress<TestProgress> progress,
        CancellationToken cancellation)
    {
        var options = ScenarioTestOptions.For(job.Scenario, job.Parameters, new TestOptions
        {
            FirstIteration = unit.FirstIteration,
            Iterations = unit.Iterations,
            Seed = unit.Slice.Seed,
            Strategy = unit.Slice.Strategy,
            PctDepth = unit.Slice.PctDepth,
            MemoryModel = job.MemoryModel,
            TimeLimit = timeLimit,
            Progress = progress,
            Cancellation = cancellation,
        });
        var report = engine.Run(job.Scenario.CreateTest(job.Parameters), options);
        return new UnitResult(unit, report.IterationsRun, report.StepsExplored, report.Elapsed, Stop(report), report.Interleavings, report.Bug,
            report.Coverage);
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
