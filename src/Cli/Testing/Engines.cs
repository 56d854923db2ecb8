using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>The engines <c>--engine</c> accepts and the strategies each one runs.</summary>
internal static class Engines
{
    public const string Hmc = "hmc";
    public const string Coyote = "coyote";

    public static IReadOnlyList<string> All { get; } = [Hmc, Coyote];

    /// <summary>Coyote's strategies with what each one is, for <c>hmc list</c>.</summary>
    public static IReadOnlyList<StrategyInfo> CoyoteDescribed => CoyoteStrategies.Described;

    /// <summary>Every strategy name either engine accepts, for the option's validator.</summary>
    public static IReadOnlyList<string> AnyStrategy { get; } = StrategyNames.All.Concat(CoyoteStrategies.Names).Distinct().ToArray();

    /// <summary>A variant documents an in-house strategy; under Coyote one it lacks (dfs, pos, dpor...) becomes pct.</summary>
    public static string CoyoteStrategy(string strategy) => CoyoteStrategies.Names.Contains(strategy) ? strategy : "pct";

    /// <summary>Rejects a strategy the chosen engine does not have, naming that engine's strategies.</summary>
    public static void CheckStrategy(string engine, string? strategy)
    {
        if (strategy is null) return;
        var valid = engine == Coyote ? CoyoteStrategies.Names : StrategyNames.All;
        if (!valid.Contains(strategy))
            throw new UsageException($"unknown {engine} strategy '{strategy}' (valid: {string.Join(", ", valid)})");
    }
}
