using HighMemConcurrency.Cli.Testing;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Cli.Compare;

/// <summary>One of our strategies set against one of Coyote's on the same jobs and seeds.</summary>
/// <param name="Ours">A strategy of our engine (<see cref="StrategyNames"/>).</param>
/// <param name="Coyote">A Coyote strategy (<see cref="CoyoteStrategies.Names"/>).</param>
internal sealed record StrategyPair(string Ours, string Coyote)
{
    /// <summary>"pct" when both are called the same, else "pos/portfolio" (ours first).</summary>
    public string Label => Ours == Coyote ? Ours : $"{Ours}/{Coyote}";

    /// <summary>
    /// The same family of algorithm on both sides: uniform random; PCT with the same number of priority switches
    /// (d = 3); each engine's default portfolio, what <c>hmc test</c> runs when no strategy is named.
    /// </summary>
    public static IReadOnlyList<StrategyPair> Defaults { get; } =
        [new(StrategyNames.Random, "random"), new(StrategyNames.Pct, "pct"), new(StrategyNames.Portfolio, "portfolio")];

    /// <summary>The help text's syntax line.</summary>
    public const string Syntax = "OURS:COYOTE[,OURS:COYOTE...], or one name for both sides (e.g. pct, pos:portfolio)";

    /// <summary>Parses <see cref="Syntax"/>; an unknown name is a usage error listing that engine's strategies.</summary>
    public static IReadOnlyList<StrategyPair> ParseList(string text)
    {
        var pairs = new List<StrategyPair>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var sides = item.Split(':', StringSplitOptions.TrimEntries);
            if (sides.Length is < 1 or > 2 || sides.Any(s => s.Length == 0))
                throw new UsageException($"--pairs expects {Syntax}, got '{text}'");
            var pair = new StrategyPair(sides[0], sides.Length == 2 ? sides[1] : sides[0]);
            Engines.CheckStrategy(Engines.Hmc, pair.Ours);
            Engines.CheckStrategy(Engines.Coyote, pair.Coyote);
            if (!pairs.Contains(pair)) pairs.Add(pair);
        }
        return pairs;
    }
}
