using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>The strategies a campaign on our engine takes: the engine's, and the <see cref="Campaigns.Portfolio"/> of them.</summary>
public static class StrategyNames
{
    /// <summary>Uniform random choice.</summary>
    public const string Random = "random";

    /// <summary>Probabilistic concurrency testing.</summary>
    public const string Pct = "pct";

    /// <summary>Partial order sampling.</summary>
    public const string Pos = "pos";

    /// <summary>Preemption-bounded depth-first search.</summary>
    public const string Dfs = "dfs";

    /// <summary>Delay-bounded depth-first search.</summary>
    public const string DelayBounding = "delay-bounding";

    /// <summary>Iterative delay bounding.</summary>
    public const string Idb = "idb";

    /// <summary>Source-set DPOR.</summary>
    public const string Dpor = "dpor";

    /// <summary>The mix of <see cref="Campaigns.Portfolio"/>.</summary>
    public const string Portfolio = "portfolio";

    /// <summary>Every strategy with its description, the portfolio last.</summary>
    public static IReadOnlyList<StrategyInfo> Described { get; } =
        [.. SystematicTest.Strategies, new StrategyInfo(Portfolio, Campaigns.Portfolio.Description)];

    /// <summary>Every name of <see cref="Described"/>.</summary>
    public static IReadOnlyList<string> All { get; } = Described.Select(s => s.Name).ToArray();
}
