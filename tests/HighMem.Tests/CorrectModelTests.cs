using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// The correct model runs its whole iteration budget clean in every catalog scenario of both families (pkmap and
/// temporary mappings), under random and PCT, and with more tasks than CPUs.
/// </summary>
public sealed class CorrectModelTests
{
    private const int Budget = 2000;

    // Scenarios with NeedsVariant hit a kernel BUG even in the correct model by design (see DepthOverflowTests).
    public static TheoryData<string, string> ScenariosAndStrategies()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in Catalog.Scenarios.Where(s => !s.NeedsVariant))
            foreach (var strategy in new[] { "random", "pct" }) data.Add(s.Name, strategy);
        return data;
    }

    [Theory, MemberData(nameof(ScenariosAndStrategies))]
    public void CorrectModel_RunsCleanForTheWholeBudget(string scenario, string strategy)
    {
        SystematicRuns.AssertCleanForTheWholeBudget(scenario, strategy, seed: 7, Budget);
    }

    [Fact]
    public void MoreTasksThanCpus_ShareTheCpuAndRunClean()
    {
        var s = SystematicRuns.Scenario("few-slots");
        var parameters = s.Defaults with { Cpus = 2, TasksPerCpu = 2, OpsPerTask = 1 };
        var report = SystematicTest.Run(s.CreateTest(parameters), new TestOptions { Strategy = "random", Iterations = 500, Seed = 3 });
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(500, report.IterationsRun);
    }
}
