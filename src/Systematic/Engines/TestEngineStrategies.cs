namespace HighMemConcurrency.Systematic;

/// <summary>
/// Strategy look-ups against whichever engine a caller picked, from its <see cref="ITestEngine.Strategies"/>: a
/// campaign validates <c>--strategy</c> or asks whether a strategy may start part-way without knowing the engine.
/// </summary>
public static class TestEngineStrategies
{
    /// <summary>The strategy of <paramref name="engine"/> named <paramref name="name"/>, or null when it has none.</summary>
    public static StrategyInfo? FindStrategy(this ITestEngine engine, string name)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Find(engine.Strategies, name);
    }

    /// <summary>
    /// The strategy of <paramref name="engine"/> named <paramref name="name"/>; throws <see cref="ArgumentException"/>
    /// with one line, <c>unknown coyote strategy 'dfs' (valid: random, pct, …)</c>, when it has none.
    /// </summary>
    public static StrategyInfo CheckStrategy(this ITestEngine engine, string name)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Find(engine.Strategies, name) ?? throw Unknown(engine.Strategies, name, $"unknown {engine.Name} strategy");
    }

    internal static StrategyInfo? Find(IReadOnlyList<StrategyInfo> strategies, string name)
    {
        foreach (var strategy in strategies)
            if (strategy.Name == name) return strategy;
        return null;
    }

    /// <summary>
    /// The one-line error for a strategy <paramref name="strategies"/> lacks. Each engine's own entry point keeps its
    /// established wording (<c>unknown strategy</c>, <c>unknown Coyote strategy</c>), which tests and users rely on.
    /// </summary>
    internal static ArgumentException Unknown(IReadOnlyList<StrategyInfo> strategies, string name, string unknown, string? parameter = null) =>
        new($"{unknown} '{name}' (valid: {string.Join(", ", strategies.Select(s => s.Name))})", parameter);
}
