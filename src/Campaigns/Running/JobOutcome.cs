using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>Why a job stopped.</summary>
public enum JobStop
{
    /// <summary>Its iteration budget ran out.</summary>
    IterationBudget,

    /// <summary>Its share of the time limit ran out.</summary>
    TimeLimit,

    /// <summary>A systematic strategy explored every schedule within its bound (for dpor: every interleaving).</summary>
    Exhausted,

    /// <summary>A bug was found.</summary>
    BugFound,

    /// <summary>The user pressed Ctrl+C.</summary>
    Canceled,

    /// <summary>The scenario rejects the variant (self-check): nothing ran.</summary>
    NotRun,
}

/// <summary>What one engine run of a job did.</summary>
/// <param name="Slice">The part of the job this run covered.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Steps">Scheduling steps taken over those iterations.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="Stop">Why the run stopped.</param>
/// <param name="Interleavings">Distinct interleavings run, when the strategy counts them (dpor).</param>
/// <param name="Coverage">Per model event, the iterations of the run that reached it.</param>
public sealed record SliceOutcome(Slice Slice, int Iterations, long Steps, TimeSpan Elapsed, JobStop Stop, long? Interleavings = null,
    IReadOnlyDictionary<string, int>? Coverage = null);

/// <summary>What a job did and found.</summary>
/// <param name="Job">The job.</param>
/// <param name="Slices">Its engine runs, in order.</param>
/// <param name="Bug">The bug found, or null.</param>
/// <param name="TracePath">Where the bug's trace was written.</param>
public sealed record JobOutcome(TestJob Job, IReadOnlyList<SliceOutcome> Slices, BugReport? Bug, string? TracePath)
{
    /// <summary>Iterations over every slice.</summary>
    public int Iterations => Slices.Sum(s => s.Iterations);

    /// <summary>Scheduling steps over every slice.</summary>
    public long Steps => Slices.Sum(s => s.Steps);

    /// <summary>Wall-clock time over every slice.</summary>
    public TimeSpan Elapsed => Slices.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Elapsed);

    /// <summary>Per model event (<c>Sim.Cover</c>), the job's iterations that reached it, in ordinal order of the name.</summary>
    public IReadOnlyDictionary<string, int> Coverage => CoverageCounts.Sum(Slices.Select(s => s.Coverage));

    /// <summary>
    /// The events the scenario declares (<see cref="HighMem.Scenarios.IScenario.Events"/>) that none of the job's
    /// iterations reached, in the scenario's order; empty for a job that did not run.
    /// </summary>
    public IReadOnlyList<string> Unreached => Slices.Count == 0 ? [] : Job.Scenario.Events.Where(e => !Coverage.ContainsKey(e)).ToList();

    /// <summary>Iterations per second of <see cref="Elapsed"/>.</summary>
    public double SchedulesPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// Why the job stopped: how its last slice stopped, except that a slice cut short by the time limit makes the
    /// whole job "time limit" (a portfolio's later slices may still finish their iterations).
    /// </summary>
    public JobStop Stop => Slices.Count == 0 ? JobStop.NotRun
        : Slices[^1].Stop == JobStop.IterationBudget && Slices.Any(s => s.Stop == JobStop.TimeLimit) ? JobStop.TimeLimit
        : Slices[^1].Stop;

    /// <summary>Iterations run until the bug, over all slices; null when none was found.</summary>
    public int? IterationsToBug => Bug is null ? null : Slices.Take(Slices.Count - 1).Sum(s => s.Iterations) + Bug.Iteration;

    /// <summary>The slice that found the bug (its strategy and seed reproduce it), or null.</summary>
    public Slice? FindingSlice => Bug is null ? null : Slices[^1].Slice;

    /// <summary>For a variant: found as the kind its documentation promises.</summary>
    public bool FoundAsExpected => Job.Variant is { } v && Bug is { } b && b.Kind == v.ExpectedKind;
}
