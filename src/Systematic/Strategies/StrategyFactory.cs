namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>Makes a strategy from its name in <see cref="TestOptions.Strategy"/>.</summary>
internal static class StrategyFactory
{
    public static readonly IReadOnlyList<string> Names = ["random", "pct", "dfs"];

    public static void CheckName(string name)
    {
        if (!Names.Contains(name))
            throw new ArgumentException($"unknown strategy '{name}' (valid: {string.Join(", ", Names)})", nameof(TestOptions.Strategy));
    }

    public static IExplorationStrategy Create(TestOptions options) => options.Strategy switch
    {
        "random" => new RandomStrategy(options.Seed),
        "pct" => new PctStrategy(options.Seed, options.PctDepth),
        "dfs" => new DfsStrategy(options.PreemptionBound),
        _ => throw new ArgumentException($"unknown strategy '{options.Strategy}' (valid: {string.Join(", ", Names)})"),
    };
}
