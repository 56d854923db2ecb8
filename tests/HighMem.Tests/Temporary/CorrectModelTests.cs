using HighMemConcurrency.HighMem.Scenarios.Temporary;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>The correct model of every temporary-mapping scenario runs its whole budget clean under random and PCT.</summary>
public sealed class CorrectModelTests
{
    private const int Budget = 2000;

    // Scenarios with NeedsVariant hit a kernel BUG even in the correct model by design (see DepthOverflowTests).
    public static TheoryData<string, string> ScenariosAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in TemporaryCatalog.Scenarios.Where(s => !s.NeedsVariant))
            foreach (var strategy in new[] { "random", "pct" }) data.Add(s.Name, strategy);
        return data;
    }

    [Theory, MemberData(nameof(ScenariosAndStrategies))]
    public void CorrectModel_RunsClean(string scenario, string strategy)
    {
        var report = SystematicRuns.Run(scenario, "none", strategy, seed: 1, Budget);
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(Budget, report.IterationsRun);
    }
}
