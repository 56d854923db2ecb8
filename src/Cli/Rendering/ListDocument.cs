using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary><c>hmc list --json</c>: the catalog for scripts (<c>hmc-list/1</c>).</summary>
internal sealed record ListDocument(string Format, IReadOnlyList<ScenarioEntry> Scenarios, IReadOnlyList<VariantEntry> Variants,
    IReadOnlyList<Systematic.StrategyInfo> Strategies, IReadOnlyList<Systematic.StrategyInfo> CoyoteStrategies)
{
    public static ListDocument From(ICatalog catalog) =>
        new("hmc-list/1",
            catalog.Scenarios.Select(s => new ScenarioEntry(s.Name, s.Description, s.Defaults.ToDictionary())).ToList(),
            catalog.Variants.Select(v => new VariantEntry(v.Name, v.Description, v.ExpectedKind.ToString(), v.BugClass, v.Scenarios, v.Strategy)).ToList(),
            StrategyNames.Described, CampaignEngines.Strategies(CampaignEngines.Coyote));
}

/// <summary>A scenario and its default parameters.</summary>
internal sealed record ScenarioEntry(string Name, string Description, IReadOnlyDictionary<string, string> Defaults);

/// <summary>A bug variant as its documentation states it.</summary>
internal sealed record VariantEntry(string Name, string Description, string ExpectedKind, string BugClass, IReadOnlyList<string> Scenarios, string Strategy);
