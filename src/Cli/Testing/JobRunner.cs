using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>Runs one job: its slices in turn on the engine, until a bug, the budget, or Ctrl+C.</summary>
internal static class JobRunner
{
    public static JobOutcome Run(TestJob job, int iterations, ulong seed, TimeSpan? timeShare, IJobProgress progress,
        RunOutput output, TimeProvider time, CancellationToken cancellation, string engine = Engines.Hmc)
    {
        // Coyote runs its own strategies (its portfolio included) in one engine run per job.
        var slices = engine == Engines.Coyote
            ? [new Slice(Engines.CoyoteStrategy(job.Strategy), seed, Portfolio.DefaultPctDepth, iterations)]
            : Portfolio.Slices(job.Strategy, seed, iterations);
        var budget = new TimeBudget(timeShare, time);
        var done = new List<SliceOutcome>();
        var counted = 0;
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i];
            if (cancellation.IsCancellationRequested)
            {
                done.Add(new SliceOutcome(slice, 0, 0, TimeSpan.Zero, JobStop.Canceled));
                break;
            }
            var engineProgress = new EngineProgress(progress, counted, done.Aggregate(TimeSpan.Zero, (t, s) => t + s.Elapsed));
            var options = new TestOptions
            {
                Iterations = slice.Iterations,
                Seed = slice.Seed,
                Strategy = slice.Strategy,
                PctDepth = slice.PctDepth,
                MaxSteps = job.Parameters.StepBound,
                TimeLimit = budget.NextShare(slices.Count - i),
                TestName = job.Scenario.Name,
                Parameters = job.Parameters.ToDictionary(),
                Progress = engineProgress,
                Cancellation = cancellation,
            };
            var test = job.Scenario.CreateTest(job.Parameters);
            var report = engine == Engines.Coyote ? CoyoteTest.Run(test, options) : SystematicTest.Run(test, options);
            done.Add(new SliceOutcome(slice, report.IterationsRun, report.StepsExplored, report.Elapsed, Stop(report), report.Interleavings));
            counted += report.IterationsRun;
            if (report.Bug is { } bug)
            {
                var path = output.WriteTrace(bug.TraceJson, (stamp, n) => TraceFileNamer.TraceName(stamp, n, job.Scenario.Name,
                    job.Parameters.Variant, bug.Kind, slice.Strategy, slice.Seed, bug.Iteration));
                return new JobOutcome(job, done, bug, path);
            }
            if (report.StopReason is StopReason.Exhausted or StopReason.Canceled) break;
        }
        return new JobOutcome(job, done, null, null);
    }

    private static JobStop Stop(TestReport report) => report.StopReason switch
    {
        StopReason.BugFound => JobStop.BugFound,
        StopReason.Exhausted => JobStop.Exhausted,
        StopReason.TimeLimit => JobStop.TimeLimit,
        StopReason.Canceled => JobStop.Canceled,
        _ => JobStop.IterationBudget,
    };

    /// <summary>Forwards the engine's progress, counting the iterations of earlier slices of the job.</summary>
    private sealed class EngineProgress(IJobProgress progress, int iterationsBefore, TimeSpan elapsedBefore) : IProgress<TestProgress>
    {
        public void Report(TestProgress value) =>
            progress.Update(iterationsBefore + value.IterationsRun, elapsedBefore + value.Elapsed);
    }
}
