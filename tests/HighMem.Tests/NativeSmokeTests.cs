using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Permanent;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// Each scenario runs free on real threads for a bounded number of operations; the invariants are checked at every
/// kmap_lock release and at quiescence, and natively a violation throws out of the run (as
/// <see cref="FailingVariant_NativeRunThrowsTheBugInsteadOfHanging"/> shows), so a run that returns is one in which
/// every check held.
/// </summary>
public sealed class NativeSmokeTests
{
    public static TheoryData<string> ScenarioNames()
    {
        var data = new TheoryData<string>();
        foreach (var s in PkmapCatalog.Scenarios) data.Add(s.Name);
        return data;
    }

    [Theory, MemberData(nameof(ScenarioNames))]
    public void Scenario_RunsNativelyWithInvariantsHolding(string scenario)
    {
        var s = Catalog.FindScenario(scenario)!;
        var run = s.CreateTest(s.Defaults with { OpsPerTask = 200 });
        AssertRunsClean(scenario, run);   // not under SystematicTest: every primitive is the real thing
    }

    [Fact]
    public void KernelSizedPool_RunsNatively()
    {
        var s = Catalog.FindScenario("distinct-pages")!;
        AssertRunsClean("distinct-pages", s.CreateTest(new ScenarioParameters { Cpus = 2, LastPkmap = 1024, Pages = 64, OpsPerTask = 300 }));
    }

    [Fact]
    public void FailingVariant_NativeRunThrowsTheBugInsteadOfHanging()
    {
        var s = Catalog.FindScenario("distinct-pages")!;
        var run = s.CreateTest(s.Defaults with { TasksPerCpu = 2, Variant = "double-kunmap" });
        var e = Assert.Throws<Kernel.KernelBugException>(run);
        Assert.StartsWith("kernel BUG at mm/highmem.c:kunmap_high", e.Message);
    }

    [Theory, MemberData(nameof(ScenarioNames))]
    public void Scenario_RunsNativelyWithTasksSharingCpus(string scenario)
    {
        var s = Catalog.FindScenario(scenario)!;
        AssertRunsClean(scenario, s.CreateTest(s.Defaults with { Cpus = 2, TasksPerCpu = 2, OpsPerTask = 50 }));
    }

    private static void AssertRunsClean(string scenario, Action run)
    {
        Assert.False(Systematic.Sim.IsControlled);
        var failure = Record.Exception(run);
        Assert.True(failure is null, $"{scenario} failed natively: {failure}");
    }
}
