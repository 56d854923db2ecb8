namespace HighMemConcurrency.Campaigns;

/// <summary>
/// What a campaign runs: which scenarios and variant, on which engine with which strategy, with what budget and seed,
/// and which of the scenarios' parameters it overrides. <see cref="TestPlanner"/> turns it into jobs; names it does
/// not know and parameters a scenario refuses are <see cref="CampaignException"/>s.
/// </summary>
public sealed record CampaignRequest
{
    /// <summary>Iterations per job when neither <see cref="Iterations"/> nor a time limit is chosen (<see cref="Budget"/>).</summary>
    public const int DefaultIterations = 10_000;

    /// <summary>The run's time limit when neither is chosen: about a minute on two cores.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>A scenario name, <c>all</c>, or null (all; for a variant, the scenarios its documentation names).</summary>
    public string? Scenario { get; init; }

    /// <summary>A variant name, <c>all</c> (the self-check: every variant must be found), <c>none</c> or null (the correct model).</summary>
    public string? Variant { get; init; }

    /// <summary>
    /// A strategy of <see cref="Engine"/> or, on ours, <c>portfolio</c> (<see cref="Portfolio"/>); null for the
    /// portfolio, or a variant's documented strategy.
    /// </summary>
    public string? Strategy { get; init; }

    /// <summary>Iteration budget of each job.</summary>
    public int Iterations { get; init; } = DefaultIterations;

    /// <summary>Seed of the run; every job's schedules follow from it.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Wall-clock budget of the whole run, shared among the jobs still to run; null for none.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Overrides of the scenarios' own parameters (CPUs, tasks, pkmap slots, pages, operations).</summary>
    public ParameterOverrides Overrides { get; init; } = ParameterOverrides.None;

    /// <summary>Which engine explores: <see cref="CampaignEngines.Hmc"/> (ours) or <see cref="CampaignEngines.Coyote"/>.</summary>
    public string Engine { get; init; } = CampaignEngines.Hmc;

    /// <summary>
    /// The memory model every job runs under (<see cref="Systematic.MemoryModel"/>); null (the default) for each job's
    /// own: a variant's declared model (<see cref="HighMem.Variants.BugVariant.MemoryModel"/>), else sequential
    /// consistency. <c>tso</c> (store buffers) runs only on our engine.
    /// </summary>
    public Systematic.MemoryModel? MemoryModel { get; init; }

    /// <summary>
    /// The budget from the options given: an explicit iteration count runs in full unless a time limit is also given;
    /// with neither, <see cref="DefaultIterations"/> under <see cref="DefaultTimeLimit"/>.
    /// </summary>
    public static (int Iterations, TimeSpan? TimeLimit) Budget(int? iterations, TimeSpan? timeLimit) =>
        (iterations ?? DefaultIterations, timeLimit ?? (iterations is null ? DefaultTimeLimit : null));

    /// <summary>
    /// A shard's budget: only iterations, so that the shards add up to the unsharded run over the same iterations
    /// (how far a time limit lets each one get depends on its machine); a time limit is a <see cref="CampaignException"/>.
    /// </summary>
    public static (int Iterations, TimeSpan? TimeLimit) ShardBudget(int? iterations, TimeSpan? timeLimit, Shard shard) =>
        timeLimit is null ? (iterations ?? DefaultIterations, null)
            : throw new CampaignException($"shard {shard} needs a fixed budget: --iterations N, not --time-limit (shards must add up to one run)");
}
