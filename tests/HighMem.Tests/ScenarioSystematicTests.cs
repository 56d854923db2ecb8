using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Permanent;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The correct model runs its whole iteration budget clean in every scenario, under random and PCT.</summary>
public sealed class ScenarioSystematicTests
{
    private const int Budget = 2000;

    public static TheoryData<string, string> ScenariosAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in PkmapCatalog.Scenarios)
            foreach (var strategy in new[] { "random", "pct" }) data.Add(s.Name, strategy);
        return data;
    }

    [Theory, MemberData(nameof(ScenariosAndStrategies))]
    public void CorrectModel_RunsCleanForTheWholeBudget(string scenario, string strategy)
    {
        var s = Catalog.FindScenario(scenario)!;
        var report = SystematicTest.Run(s.CreateTest(s.Defaults),
            ScenarioTestOptions.For(s, s.Defaults, new TestOptions { Strategy = strategy, Seed = 7, Iterations = Budget }));
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(Budget, report.IterationsRun);
        Assert.Equal(StopReason.IterationBudget, report.StopReason);
    }

    [Fact]
    public void MoreTasksThanCpus_ShareTheCpuAndRunClean()
    {
        var s = Catalog.FindScenario("few-slots")!;
        var parameters = s.Defaults with { Cpus = 2, TasksPerCpu = 2, OpsPerTask = 1 };
        var report = SystematicTest.Run(s.CreateTest(parameters), new TestOptions { Strategy = "random", Iterations = 500, Seed = 3 });
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(500, report.IterationsRun);
    }
}
