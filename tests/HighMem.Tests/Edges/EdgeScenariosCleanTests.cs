using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// The scenarios that take the model to its edges run 1,000 iterations clean on the correct model under each strategy
/// of the default campaign.
/// </summary>
public sealed class EdgeScenariosCleanTests
{
    private const int Budget = 1000;

    public static TheoryData<string, string> ScenariosAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in new[] { "vmalloc-edges", "stack-depth", "local-handoff", "revive-wrap" })
            foreach (var strategy in new[] { "pct", "pos", "random" }) data.Add(scenario, strategy);
        return data;
    }

    [Theory, MemberData(nameof(ScenariosAndStrategies))]
    public void CorrectModel_RunsItsWholeBudgetClean(string scenario, string strategy)
    {
        SystematicRuns.AssertCleanForTheWholeBudget(scenario, strategy, seed: 11, Budget);
    }
}
