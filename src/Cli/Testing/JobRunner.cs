using HighMemConcurrency.Cli.Output;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>
/// Runs one job on its own, as <c>hmc test</c> runs each of its jobs (the same units, assembled the same way), for
/// verbs that run jobs one by one (compare, stress's reproduction). Its trace takes the output's next number.
/// </summary>
internal static class JobRunner
{
    public static JobOutcome Run(TestJob job, int iterations, ulong seed, TimeSpan? timeShare, IJobProgress progress,
        RunOutput output, TimeProvider time, CancellationToken cancellation, string engine = Engines.Hmc)
    {
        var plan = new TestPlan(job.Variant is null ? TestMode.Model : TestMode.Variant, [job]);
        var request = new TestRequest(job.Scenario.Name, job.Parameters.Variant, job.Strategy, iterations, seed, null, null, timeShare, engine);
        var runner = new TestRunner(plan, request, output, time, traceNumber: _ => output.NextTraceNumber());
        runner.Run(new OneJob(progress), cancellation);
        return runner.Outcomes.Single();
    }

    /// <summary>The caller started the job's progress and finishes it itself.</summary>
    private sealed class OneJob(IJobProgress progress) : IRunProgress, IJobProgress
    {
        public IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare) => this;

        public void Update(int iterations, TimeSpan elapsed) => progress.Update(iterations, elapsed);

        public void Finish(JobOutcome outcome) { }
    }
}
