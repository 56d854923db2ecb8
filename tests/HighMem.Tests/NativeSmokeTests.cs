using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// Each scenario runs free on real threads for a bounded number of operations; the invariants are checked at every
/// kmap_lock release and at quiescence (a violation throws out of the run).
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
        run();   // not under SystematicTest: every primitive is the real thing
    }

    [Fact]
    public void KernelSizedPool_RunsNatively()
    {
        var s = Catalog.FindScenario("distinct-pages")!;
        s.CreateTest(new ScenarioParameters { Cpus = 2, LastPkmap = 1024, Pages = 64, OpsPerTask = 300 })();
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
        s.CreateTest(s.Defaults with { Cpus = 2, TasksPerCpu = 2, OpsPerTask = 50 })();
    }
}
