using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The engines a campaign runs on, by the name <see cref="CampaignRequest.Engine"/> gives, and the strategies each one
/// takes there: the engine's own (<see cref="ITestEngine.Strategies"/>) and, on ours, the <see cref="Portfolio"/>.
/// </summary>
public static class CampaignEngines
{
    /// <summary>Our engine's name.</summary>
    public const string Hmc = "hmc";

    /// <summary>Coyote's name.</summary>
    public const string Coyote = "coyote";

    /// <summary>Every engine, ours first.</summary>
    public static IReadOnlyList<ITestEngine> All { get; } = [SystematicTest.Engine, CoyoteTest.Engine];

    /// <summary>Every engine's name, ours first.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(e => e.Name).ToArray();

    /// <summary>The engine named <paramref name="name"/>; an unknown name is a <see cref="CampaignException"/>.</summary>
    public static ITestEngine Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new CampaignException($"unknown engine '{name}' (valid: {string.Join(", ", Names)})");

    /// <summary>The strategies a campaign on <paramref name="engine"/> takes, with what each one is (ours: the portfolio last).</summary>
    public static IReadOnlyList<StrategyInfo> Strategies(string engine)
    {
        var found = Find(engine);
        return found.Name == Hmc ? StrategyNames.Described : found.Strategies;
    }

    /// <summary>Every strategy name either engine takes, for a command line's validator.</summary>
    public static IReadOnlyList<string> AnyStrategy { get; } = Names.SelectMany(e => Strategies(e).Select(s => s.Name)).Distinct().ToArray();

    /// <summary>A variant documents one of our strategies; on Coyote one it lacks (dfs, pos, dpor...) becomes pct.</summary>
    public static string CoyoteStrategy(string strategy) => CoyoteStrategies.Names.Contains(strategy) ? strategy : StrategyNames.Pct;

    /// <summary>
    /// A <see cref="CampaignException"/> when there is no engine <paramref name="engine"/>, or it has no strategy
    /// <paramref name="strategy"/> (null: its default), naming the valid ones.
    /// </summary>
    public static void CheckStrategy(string engine, string? strategy)
    {
        var valid = Strategies(engine).Select(s => s.Name).ToList();
        if (strategy is null) return;
        if (!valid.Contains(strategy))
            throw new CampaignException($"unknown {engine} strategy '{strategy}' (valid: {string.Join(", ", valid)})");
    }

    /// <summary>
    /// Whether a slice of <paramref name="strategy"/> on <paramref name="engine"/> may be cut into blocks that start
    /// part-way (<see cref="StrategyInfo.Samples"/>): our random, pct and pos; never Coyote, whose one generator runs
    /// across a run's iterations.
    /// </summary>
    public static bool CanStartAnywhere(string engine, string strategy) => Find(engine).FindStrategy(strategy)?.Samples == true;
}
