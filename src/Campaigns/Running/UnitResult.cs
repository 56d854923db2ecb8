using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>What one engine run of a <see cref="WorkUnit"/> did.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Steps">Scheduling steps over those iterations.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
/// <param name="Stop">Why it stopped.</param>
/// <param name="Interleavings">Distinct interleavings run, when the strategy counts them (dpor).</param>
/// <param name="Bug">The bug it found, or null.</param>
/// <param name="Coverage">Per model event, the iterations that reached it (<see cref="TestReport.Coverage"/>).</param>
public sealed record UnitResult(WorkUnit Unit, int Iterations, long Steps, TimeSpan Elapsed, JobStop Stop, long? Interleavings, BugReport? Bug,
    IReadOnlyDictionary<string, int>? Coverage = null)
{
    /// <summary>A unit that did not run because its slice's time share was already spent.</summary>
    public static UnitResult OutOfTime(WorkUnit unit) => new(unit, 0, 0, TimeSpan.Zero, JobStop.TimeLimit, null, null);

    /// <summary>After this unit a serial run goes no further in the job: it found a bug or exhausted the space.</summary>
    public bool EndsJob => Stop is JobStop.BugFound or JobStop.Exhausted;
}

/// <summary>
/// Turns a job's unit results into the outcome a serial run over the same iterations reports: the units in campaign
/// order up to the first that ends the job (its first bug, the lowest iteration, is the job's bug), each slice's units
/// added up into one slice. Used by the runner, whatever its workers, and by <c>hmc merge</c> over shards.
/// </summary>
internal static class JobAssembly
{
    /// <summary>
    /// The results that count, in order: those present, up to and including the first that ends the job.
    /// </summary>
    public static IReadOnlyList<UnitResult> Counted(IEnumerable<UnitResult> results)
    {
        var counted = new List<UnitResult>();
        foreach (var r in results.OrderBy(r => r.Unit.Index))
        {
            counted.Add(r);
            if (r.EndsJob) break;
        }
        return counted;
    }

    /// <summary>The job's slices from its counted results (see <see cref="Counted"/>).</summary>
    public static IReadOnlyList<SliceOutcome> Slices(IReadOnlyList<UnitResult> counted) =>
        counted.GroupBy(r => r.Unit.SliceIndex).Select(g =>
        {
            var parts = g.ToList();
            var last = parts[^1];
            var stop = last.EndsJob ? last.Stop
                : parts.Any(p => p.Stop == JobStop.Canceled) ? JobStop.Canceled
                : parts.Any(p => p.Stop == JobStop.TimeLimit) ? JobStop.TimeLimit
                : JobStop.IterationBudget;
            return new SliceOutcome(last.Unit.Slice, parts.Sum(p => p.Iterations), parts.Sum(p => p.Steps),
                parts.Aggregate(TimeSpan.Zero, (t, p) => t + p.Elapsed), stop, last.Interleavings, CoverageCounts.Sum(parts.Select(p => p.Coverage)));
        }).ToList();

    /// <summary>The job's outcome; <paramref name="tracePath"/> is where its bug's trace was written.</summary>
    public static JobOutcome Outcome(TestJob job, IReadOnlyList<UnitResult> counted, string? tracePath) =>
        new(job, Slices(counted), counted.Count > 0 ? counted[^1].Bug : null, tracePath);
}
