namespace HighMemConcurrency.Cli.Testing;

/// <summary>The strategies <c>--strategy</c> accepts.</summary>
internal static class StrategyNames
{
    public const string Random = "random";
    public const string Pct = "pct";
    public const string Dfs = "dfs";
    public const string Portfolio = "portfolio";

    public static IReadOnlyList<string> All { get; } = [Random, Pct, Dfs, Portfolio];
}
