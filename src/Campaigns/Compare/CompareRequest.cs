namespace HighMemConcurrency.Campaigns;

/// <summary>What the user asked <c>hmc compare</c> for, after parsing.</summary>
/// <param name="Variants">Variant names to compare, in catalog order; empty for none (only the correct model).</param>
/// <param name="Pairs">The strategy pairs, each a row per variant.</param>
/// <param name="BaseSeed">The seed the run's seeds are spread from (<see cref="CompareSeeds"/>).</param>
/// <param name="Seeds">How many seeds each variant runs with, on each engine.</param>
/// <param name="Iterations">Iteration budget of one run (one engine, one seed).</param>
/// <param name="TimeLimit">Wall-clock budget of one run.</param>
/// <param name="ModelIterations">Iteration budget of a correct-model run (first seed only); 0 skips the model rows.</param>
public sealed record CompareRequest(IReadOnlyList<string> Variants, IReadOnlyList<StrategyPair> Pairs, ulong BaseSeed, int Seeds,
    int Iterations, TimeSpan TimeLimit, int ModelIterations)
{
    /// <summary>Overrides of the scenarios' parameters, for every row (a scenario that does not read one refuses it).</summary>
    public ParameterOverrides Overrides { get; init; } = ParameterOverrides.None;

    /// <summary>Seeds per variant when none are asked for.</summary>
    public const int DefaultSeeds = 5;
    /// <summary>The most seeds a comparison takes.</summary>
    public const int MaxSeeds = 100;
    /// <summary>Iterations of one run by default.</summary>
    public const int DefaultIterations = 1_000;
    /// <summary>Iterations of a correct-model run by default.</summary>
    public const int DefaultModelIterations = 300;
    /// <summary>The base seed by default.</summary>
    public const ulong DefaultBaseSeed = 1;

    /// <summary>Per run: a variant every pair finds within a few hundred schedules takes well under it.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>The seeds every run of the comparison uses, in order.</summary>
    public IReadOnlyList<ulong> SeedList => CompareSeeds.Spread(BaseSeed, Seeds);
}
