using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>How the search for a stress failure's schedule ended.</summary>
public enum ReproductionStatus
{
    /// <summary>The systematic engine found a bug; its trace is written.</summary>
    Reproduced,

    /// <summary>No bug within the budget.</summary>
    NotReproduced,

    /// <summary>Ctrl+C stopped the search before it found anything.</summary>
    Canceled,

    /// <summary><c>--reproduce-for 0</c>: not tried.</summary>
    Off,
}

/// <summary>What the systematic engine made of a stress failure.</summary>
/// <param name="Status">How the search ended.</param>
/// <param name="Budget">Its wall-clock bound.</param>
/// <param name="Seed">The seed of its portfolio.</param>
/// <param name="Outcome">The search as a test job (its bug and trace path when reproduced); null when it was off.</param>
public sealed record StressReproduction(ReproductionStatus Status, TimeSpan Budget, ulong Seed, JobOutcome? Outcome)
{
    /// <summary>The trace that replays the bug, when reproduced.</summary>
    public string? TracePath => Outcome?.TracePath;
}

/// <summary>
/// Turns a stress failure (evidence without a schedule) into a replayable trace: the same scenario, variant and
/// parameters under the systematic engine with <c>hmc test</c>'s portfolio, bounded in time, its trace written like
/// any <c>hmc test</c> finding. Free-running threads may hit interleavings the bounded workload does not reach (a
/// stress task loops for the whole run, a systematic one runs its <c>opsPerTask</c>), so "not reproduced" is an
/// honest outcome, not an error.
/// </summary>
public static class StressReproducer
{
    /// <summary>The default bound of <c>--reproduce-for</c>.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Iterations of the search: more than any machine runs within the time bound, so the time decides; a
    /// number (not unbounded) because the portfolio splits iterations into its slices.
    /// </summary>
    public const int Iterations = 100_000_000;

    /// <summary>
    /// Searches <paramref name="target"/> for <paramref name="budget"/> with the portfolio from <paramref name="seed"/>,
    /// writing the trace it finds to <paramref name="output"/> (if any); a zero budget does not search.
    /// </summary>
    public static StressReproduction Run(StressTarget target, ulong seed, TimeSpan budget, RunOutput? output, IRunProgress progress,
        TimeProvider time, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(progress);
        if (budget <= TimeSpan.Zero) return new StressReproduction(ReproductionStatus.Off, budget, seed, null);
        var job = new TestJob(target.Scenario, target.Parameters, StrategyNames.Portfolio, target.Variant);
        var jobProgress = progress.StartJob(job, 0, 1, Iterations, budget);
        var outcome = JobRunner.Run(job, Iterations, seed, budget, jobProgress, output, time, cancellation);
        jobProgress.Finish(outcome);
        var status = outcome.Bug is not null ? ReproductionStatus.Reproduced
            : outcome.Stop == JobStop.Canceled ? ReproductionStatus.Canceled
            : ReproductionStatus.NotReproduced;
        return new StressReproduction(status, budget, seed, outcome);
    }
}
