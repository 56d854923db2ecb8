using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// DPOR on the kmap model, through the public catalog: the correct model of a small configuration (2 CPUs, one
/// task each, 2 pkmap slots, 3 pages, 1 kmap per task) is verified — every interleaving explored, no bug — and the
/// permanent-mapping variants are found there or proven out of reach.
/// </summary>
public sealed class DporKmapTests
{
    private static ScenarioParameters Small(IScenario scenario, string variant = "none") =>
        scenario.Defaults with { Cpus = 2, TasksPerCpu = 1, LastPkmap = 2, Pages = 3, OpsPerTask = 1, Variant = variant };

    private static TestReport Dpor(IScenario scenario, ScenarioParameters parameters) =>
        SystematicTest.Run(scenario.CreateTest(parameters),
            ScenarioTestOptions.For(scenario, parameters, new TestOptions { Strategy = "dpor", Iterations = 100_000 }));

    [Fact]
    public void CorrectModel_SharedPage_IsVerified_WithFewerSchedulesThanDfs()
    {
        var scenario = Catalog.FindScenario("shared-page")!;
        var dpor = Dpor(scenario, Small(scenario));
        Assert.True(dpor.Bug is null, $"unexpected bug: {dpor.Bug}\n{dpor.Bug?.Interleaving}");
        Assert.Equal(StopReason.Exhausted, dpor.StopReason);
        Assert.True(dpor.Interleavings > 1);
        // Unbounded DFS, given as many schedules as DPOR needed to cover every interleaving, is not done yet.
        var dfs = SystematicTest.Run(scenario.CreateTest(Small(scenario)), new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = dpor.IterationsRun });
        Assert.Null(dfs.Bug);
        Assert.False(dfs.Exhausted);
    }

    // Variants whose bug this configuration reaches: DPOR must find them, as the kind their documentation states.
    [Theory]
    [InlineData("wake-on-zero", "slot-hog")]
    [InlineData("skip-tlb-flush", "wrap-readers")]
    [InlineData("drop-lock-around-flush", "wrap-readers")]
    [InlineData("irq-off-lock-ipi-flush", "wrap-readers")]
    [InlineData("set-page-address-unlocked", "shared-page")]
    [InlineData("double-kunmap", "distinct-pages")]
    [InlineData("kmap-from-irq", "irq-page-address")]
    public void ReachableVariant_IsFound(string variant, string scenarioName)
    {
        var scenario = Catalog.FindScenario(scenarioName)!;
        var report = Dpor(scenario, Small(scenario, variant));
        Assert.Equal(VariantRegistry.Find(variant)!.ExpectedKind, report.Bug?.Kind);
    }

    // In few-slots with 2 tasks, 2 slots and one kmap each, a slot is always free: nobody sleeps on
    // pkmap_map_wait, so the mistakes in the sleep/wake-up path cannot matter — and DPOR proves it by exhausting
    // every interleaving clean.
    [Theory]
    [InlineData("wake-on-zero")]
    [InlineData("no-recheck-after-wake")]
    [InlineData("no-budget-reset")]
    public void SleepPathVariant_WithoutContention_IsProvenHarmless(string variant)
    {
        var scenario = Catalog.FindScenario("few-slots")!;
        var report = Dpor(scenario, Small(scenario, variant));
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}");
        Assert.Equal(StopReason.Exhausted, report.StopReason);
    }
}
