using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Campaigns;

/// <summary>One of our strategies set against one of Coyote's on the same jobs and seeds.</summary>
/// <param name="Ours">A strategy of our engine (<see cref="StrategyNames"/>).</param>
/// <param name="Coyote">A Coyote strategy (<see cref="CoyoteStrategies.Names"/>).</param>
public sealed record StrategyPair(string Ours, string Coyote)
{
    /// <summary>A <see cref="CampaignException"/> naming the engine's strategies when either side is not one of its engine's.</summary>
    public void Check()
    {
        CampaignEngines.CheckStrategy(CampaignEngines.Hmc, Ours);
        CampaignEngines.CheckStrategy(CampaignEngines.Coyote, Coyote);
    }

    /// <summary>"pct" when both are called the same, else "pos/portfolio" (ours first).</summary>
    public string Label => Ours == Coyote ? Ours : $"{Ours}/{Coyote}";

    /// <summary>
    /// The same family of algorithm on both sides: uniform random; PCT with the same number of priority switches
    /// (d = 3); each engine's default portfolio, what <c>hmc test</c> runs when no strategy is named.
    /// </summary>
    public static IReadOnlyList<StrategyPair> Defaults { get; } =
        [new(StrategyNames.Random, "random"), new(StrategyNames.Pct, "pct"), new(StrategyNames.Portfolio, "portfolio")];
}
