using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>Reads <c>hmc compare --pairs</c>.</summary>
internal static class StrategyPairs
{
    /// <summary>The help text's syntax line.</summary>
    public const string Syntax = "OURS:COYOTE[,OURS:COYOTE...], or one name for both sides (e.g. pct, pos:portfolio)";

    /// <summary>Parses <see cref="Syntax"/>; an unknown name is a usage error listing that engine's strategies.</summary>
    public static IReadOnlyList<StrategyPair> Parse(string text)
    {
        var pairs = new List<StrategyPair>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var sides = item.Split(':', StringSplitOptions.TrimEntries);
            if (sides.Length is < 1 or > 2 || sides.Any(s => s.Length == 0))
                throw new UsageException($"--pairs expects {Syntax}, got '{text}'");
            var pair = new StrategyPair(sides[0], sides.Length == 2 ? sides[1] : sides[0]);
            pair.Check();
            if (!pairs.Contains(pair)) pairs.Add(pair);
        }
        return pairs;
    }
}
