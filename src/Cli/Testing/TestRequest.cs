namespace HighMemConcurrency.Cli.Testing;

/// <summary>What the user asked <c>hmc test</c> for, after parsing and before planning.</summary>
/// <param name="Scenario">A scenario name, <c>all</c>, or null (all; for a variant, the scenarios it names).</param>
/// <param name="Variant">A variant name, <c>all</c> (the self-check), <c>none</c> or null (the correct model).</param>
/// <param name="Strategy">random, pct, dfs, portfolio, or null (portfolio; a variant's documented strategy).</param>
/// <param name="Iterations">Iteration budget of each job.</param>
/// <param name="Seed">Seed of the run.</param>
/// <param name="Cpus">Overrides the scenarios' CPU count.</param>
/// <param name="LastPkmap">Overrides the scenarios' LAST_PKMAP.</param>
/// <param name="TimeLimit">Wall-clock budget of the whole run, shared among the jobs; null for none.</param>
/// <param name="Engine">Which engine explores: ours (<c>hmc</c>) or <c>coyote</c>.</param>
internal sealed record TestRequest(string? Scenario, string? Variant, string? Strategy, int Iterations, ulong Seed,
    int? Cpus, int? LastPkmap, TimeSpan? TimeLimit, string Engine = Engines.Hmc)
{
    /// <summary>Iterations per job when neither <c>--iterations</c> nor <c>--time-limit</c> is given.</summary>
    public const int DefaultIterations = 10_000;

    /// <summary>Run budget when neither is given: about a minute on two cores.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The budget from the options given: an explicit <c>--iterations</c> runs in full unless a <c>--time-limit</c>
    /// is also given; with neither, the default iterations under the default limit.
    /// </summary>
    public static (int Iterations, TimeSpan? TimeLimit) Budget(int? iterations, TimeSpan? timeLimit) =>
        (iterations ?? DefaultIterations, timeLimit ?? (iterations is null ? DefaultTimeLimit : null));

    /// <summary>
    /// A shard's budget: only iterations, so that the shards add up to the unsharded run over the same iterations
    /// (how far a time limit lets each one get depends on its machine).
    /// </summary>
    public static (int Iterations, TimeSpan? TimeLimit) ShardBudget(int? iterations, TimeSpan? timeLimit, Shard shard) =>
        timeLimit is null ? (iterations ?? DefaultIterations, null)
            : throw new UsageException($"shard {shard} needs a fixed budget: --iterations N, not --time-limit (shards must add up to one run)");
}
