namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Runs one job on its own, as a campaign runs each of its jobs (the same units, assembled the same way), for what
/// runs jobs one by one (compare, a stress failure's reproduction). Its trace takes the output's next number.
/// </summary>
internal static class JobRunner
{
    public static JobOutcome Run(TestJob job, int iterations, ulong seed, TimeSpan? timeShare, IJobProgress progress,
        RunOutput? output, TimeProvider time, CancellationToken cancellation, string engine = CampaignEngines.Hmc)
    {
        var plan = new TestPlan(job.Variant is null ? TestMode.Model : TestMode.Variant, [job]);
        var request = new CampaignRequest
        {
            Scenario = job.Scenario.Name,
            Variant = job.Parameters.Variant,
            Strategy = job.Strategy,
            Iterations = iterations,
            Seed = seed,
            TimeLimit = timeShare,
            Engine = engine,
        };
        var runner = new CampaignRunner(plan, request, output, time, traceNumber: _ => output?.NextTraceNumber() ?? 0);
        runner.Run(new OneJob(progress), cancellation);
        if (runner.Outcomes is [var outcome]) return outcome;
        // Ctrl+C before the job's first unit started: it ran nothing, and says so as a canceled job (never "no outcome").
        if (!cancellation.IsCancellationRequested) throw new InvalidOperationException($"job {job.Label} ended without an outcome");
        return new JobOutcome(job, [new SliceOutcome(new Slice(job.Strategy, seed, 0, iterations), 0, 0, TimeSpan.Zero, JobStop.Canceled)], null, null);
    }

    /// <summary>The caller started the job's progress and finishes it itself.</summary>
    private sealed class OneJob(IJobProgress progress) : IRunProgress, IJobProgress
    {
        public IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare) => this;

        public void Update(int iterations, TimeSpan elapsed) => progress.Update(iterations, elapsed);

        public void Finish(JobOutcome outcome)
        {
        }
    }
}
