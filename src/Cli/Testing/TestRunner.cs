using HighMemConcurrency.Cli.Output;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>
/// Runs a plan's jobs one after another under one shared time budget. Outcomes accumulate as jobs finish, so a
/// failure or Ctrl+C part-way still leaves everything found so far for the summary.
/// </summary>
internal sealed class TestRunner(TestPlan plan, TestRequest request, RunOutput output, TimeProvider time)
{
    private readonly List<JobOutcome> _outcomes = [];

    /// <summary>Outcomes of the jobs run so far.</summary>
    public IReadOnlyList<JobOutcome> Outcomes => _outcomes;

    /// <summary>True when Ctrl+C stopped the run before every job ran.</summary>
    public bool Canceled { get; private set; }

    /// <summary>
    /// Jobs still to run from job <paramref name="index"/> on (a job the planner rejected takes no time and shows no
    /// progress). In the self-check a variant's other scenarios only run when the first misses it, so a variant
    /// counts once: this is both how many parts share the time left and how many jobs the progress counter expects.
    /// </summary>
    private int RemainingParts(int index, HashSet<string> foundVariants)
    {
        var rest = plan.Jobs.Skip(index).Where(j => j.Rejected is null);
        return plan.Mode != TestMode.SelfCheck
            ? rest.Count()
            : rest.Select(j => j.Variant!.Name).Where(v => !foundVariants.Contains(v)).Distinct().Count();
    }

    public void Run(IRunProgress progress, CancellationToken cancellation)
    {
        var budget = new TimeBudget(request.TimeLimit, time);
        var foundVariants = new HashSet<string>(StringComparer.Ordinal);
        // The counter counts the jobs it shows: [k/n] with n the jobs shown so far plus those still expected to run
        // (in the self-check n grows by one when a variant needs its next scenario).
        var shown = 0;
        for (var i = 0; i < plan.Jobs.Count; i++)
        {
            var job = plan.Jobs[i];
            // The self-check tries a variant's scenarios in turn only until one finds it.
            if (plan.Mode == TestMode.SelfCheck && job.Variant is { } v && foundVariants.Contains(v.Name)) continue;
            if (cancellation.IsCancellationRequested)
            {
                Canceled = true;
                return;
            }
            if (job.Rejected is not null)
            {
                _outcomes.Add(new JobOutcome(job, [], null, null));
                continue;
            }
            var parts = RemainingParts(i, foundVariants);
            var share = budget.NextShare(parts);
            var jobProgress = progress.StartJob(job, shown, shown + parts, request.Iterations, share);
            shown++;
            var outcome = JobRunner.Run(job, request.Iterations, request.Seed, share, jobProgress, output, time, cancellation, request.Engine);
            _outcomes.Add(outcome);
            jobProgress.Finish(outcome);
            if (outcome.Stop == JobStop.Canceled)
            {
                Canceled = true;
                return;
            }
            if (outcome.FoundAsExpected) foundVariants.Add(job.Variant!.Name);
        }
    }
}
