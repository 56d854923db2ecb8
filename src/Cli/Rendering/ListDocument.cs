using HighMemConcurrency.Systematic;
using System.Text.Json.Serialization;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary><c>hmc list --json</c>: the catalog for scripts (<c>hmc-list/1</c>).</summary>
internal sealed record ListDocument(string Format, IReadOnlyList<ScenarioEntry> Scenarios, IReadOnlyList<VariantEntry> Variants,
    IReadOnlyList<Systematic.StrategyInfo> Strategies, IReadOnlyList<Systematic.StrategyInfo> CoyoteStrategies)
{
    public static ListDocument From(ICatalog catalog) =>
        new("hmc-list/1",
            catalog.Scenarios.Select(s => new ScenarioEntry(s.Name, s.Description, Honoured(s), s.Events, s.Assembly)).ToList(),
            catalog.Variants.Select(v => new VariantEntry(v.Name, v.Description, v.ExpectedKind.ToString(), v.BugClass, v.Scenarios, v.Strategy, v.History,
                v.MemoryModel == Systematic.MemoryModel.Sc ? null : MemoryModelNames.Name(v.MemoryModel))).ToList(),
            StrategyNames.Described, CampaignEngines.Strategies(CampaignEngines.Coyote));

    /// <summary>The defaults of the parameters <paramref name="scenario"/> reads, but the variant, in trace order.</summary>
    public static IReadOnlyDictionary<string, string> Honoured(IScenario scenario) =>
        scenario.Defaults.ToDictionary().Where(p => p.Key != ScenarioParameters.VariantName && scenario.Honours.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);
}

/// <summary>
/// A scenario, the defaults of the parameters it reads (an override of any other is refused) and the kernel events its
/// workload is there to reach (what <c>hmc test</c>'s coverage flags when no schedule reached one); for a scenario of
/// an assembly loaded with <c>--load</c>, that assembly's name and version (absent for the tool's own).
/// </summary>
internal sealed record ScenarioEntry(string Name, string Description, IReadOnlyDictionary<string, string> Defaults, IReadOnlyList<string> Events,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Assembly);

/// <summary>
/// A bug variant as its documentation states it, with the kernel fix it reproduces when it names one and, for one only
/// store buffers make, the memory model it is found under (absent: sc).
/// </summary>
internal sealed record VariantEntry(string Name, string Description, string ExpectedKind, string BugClass, IReadOnlyList<string> Scenarios, string Strategy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HighMem.Variants.KernelFix? History,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MemoryModel = null);
