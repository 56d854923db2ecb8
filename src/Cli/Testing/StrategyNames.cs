using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>The strategies <c>--strategy</c> accepts: the engine's, and the portfolio of them.</summary>
internal static class StrategyNames
{
    public const string Random = "random";
    public const string Pct = "pct";
    public const string Pos = "pos";
    public const string Dfs = "dfs";
    public const string DelayBounding = "delay-bounding";
    public const string Idb = "idb";
    public const string Dpor = "dpor";
    public const string Portfolio = "portfolio";

    /// <summary>Every strategy with its description, the portfolio last.</summary>
    public static IReadOnlyList<StrategyInfo> Described { get; } =
        [.. SystematicTest.Strategies, new StrategyInfo(Portfolio, Testing.Portfolio.Description)];

    public static IReadOnlyList<string> All { get; } = Described.Select(s => s.Name).ToArray();
}
