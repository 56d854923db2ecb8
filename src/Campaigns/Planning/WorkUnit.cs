using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The smallest piece of a campaign that runs on its own: a block of one slice's iterations, or a whole slice for a
/// strategy that enumerates its space from the start (dfs, delay-bounding, idb, dpor) or for the Coyote engine.
/// </summary>
/// <param name="Index">Its place in the campaign's order, over every job (what <c>--shard</c> deals out).</param>
/// <param name="Job">The job's index in the plan.</param>
/// <param name="SliceIndex">The slice's index in the job.</param>
/// <param name="Slice">The slice.</param>
/// <param name="FirstIteration">The slice's first iteration this unit runs (1-based).</param>
/// <param name="Iterations">How many of the slice's iterations it runs.</param>
public sealed record WorkUnit(int Index, int Job, int SliceIndex, Slice Slice, int FirstIteration, int Iterations)
{
    /// <summary>True for the unit that starts its slice (it gets the slice's time share).</summary>
    public bool StartsSlice => FirstIteration == 1;
}

/// <summary>
/// Cuts a plan into <see cref="WorkUnit"/>s. Blocks are <see cref="SystematicTest.IterationBlock"/> iterations, the
/// span within which a strategy may learn from earlier iterations; so a unit's schedules are the same whether it runs
/// alone, in another process or within one serial run, and any set of workers or shards adds up to the serial run.
/// </summary>
internal static class CampaignUnits
{
    /// <summary>The slices of a job on the given engine.</summary>
    public static IReadOnlyList<Slice> Slices(TestJob job, CampaignRequest request) => request.Engine == CampaignEngines.Hmc
        ? Portfolio.Slices(job.Strategy, request.Seed, request.Iterations)
        // Another engine runs its own strategies (Coyote's portfolio included) in one engine run per job.
        : [new Slice(CampaignEngines.CoyoteStrategy(job.Strategy), request.Seed, Portfolio.DefaultPctDepth, request.Iterations)];

    /// <summary>Every unit of the plan in campaign order: job by job, slice by slice, block by block.</summary>
    public static IReadOnlyList<WorkUnit> Of(TestPlan plan, CampaignRequest request)
    {
        var units = new List<WorkUnit>();
        for (var j = 0; j < plan.Jobs.Count; j++)
        {
            var job = plan.Jobs[j];
            if (job.Rejected is not null) continue;
            var slices = Slices(job, request);
            for (var s = 0; s < slices.Count; s++)
            {
                var slice = slices[s];
                var block = CampaignEngines.CanStartAnywhere(request.Engine, slice.Strategy) ? SystematicTest.IterationBlock : slice.Iterations;
                for (var first = 1; first <= slice.Iterations; first += block)
                    units.Add(new WorkUnit(units.Count, j, s, slice, first, Math.Min(block, slice.Iterations - first + 1)));
            }
        }
        return units;
    }
}
