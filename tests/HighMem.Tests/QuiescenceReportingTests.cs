using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Permanent;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>
/// A broken exit or quiescence reaches the user the way every other violation does: under the controlled scheduler
/// as an assertion failure of the iteration, natively as a violation of the stress report — for the pkmap family
/// (whose stress round joins its tasks for their exit checks and asks the machine for quiescence) and for the
/// temporary family (whose one round ends with the machine's checks). The workloads are small wrong ones of the
/// tests' own, not variants.
/// </summary>
public sealed class QuiescenceReportingTests
{
    private static readonly StressOptions Short = new() { Duration = TimeSpan.FromMilliseconds(200), WatchdogTimeout = TimeSpan.FromSeconds(20) };

    private static readonly ScenarioParameters PkmapShape = new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 };

    /// <summary>Task 0 leaves migration disabled in its first operation; nothing else goes wrong.</summary>
    private static readonly IScenario MigrateDisableLeak = new PkmapScenario("leaks-migrate-disable", "task 0 never re-enables migration",
        PkmapShape, (_, _, task, op) =>
        {
            if (task == 0 && op == 0) KernelTask.Current!.MigrateDisable();
        });

    /// <summary>Task 0 kmaps page 0 in its first operation and never kunmaps it.</summary>
    private static readonly IScenario KmapLeak = new PkmapScenario("leaks-a-kmap", "task 0 never kunmaps its first kmap",
        PkmapShape, (model, _, task, op) =>
        {
            if (task == 0 && op == 0) model.Pkmap.Kmap(model.Memory.Pages[0]);
        });

    private static BugReport? Systematic(IScenario scenario)
    {
        var report = SystematicTest.Run(scenario.CreateTest(scenario.Defaults), new TestOptions { Strategy = "pct", Iterations = 20 });
        return report.Bug;
    }

    [Fact]
    public void PkmapFamily_AnExitViolation_FailsTheIteration_AndTheStressRun()
    {
        var bug = Systematic(MigrateDisableLeak);
        Assert.Equal(BugKind.AssertionFailure, bug?.Kind);
        Assert.Equal("at exit of kmapd/0 on CPU0: migration is disabled (migrate_disable depth 1 without its migrate_enable)", bug?.Message);

        var stress = MigrateDisableLeak.RunStress(MigrateDisableLeak.Defaults, Short, CancellationToken.None);
        Assert.Equal(["AssertionFailure: at exit of stress/0 on CPU0: migration is disabled (migrate_disable depth 1 without its migrate_enable)"],
            stress.Violations);
    }

    [Fact]
    public void PkmapFamily_AQuiescenceViolation_FailsTheIteration_AndTheStressRun()
    {
        var bug = Systematic(KmapLeak);
        Assert.Equal(BugKind.AssertionFailure, bug?.Kind);
        Assert.Equal("at quiescence pkmap_count[1] is 2: a kmap was never kunmapped", bug?.Message);

        var stress = KmapLeak.RunStress(KmapLeak.Defaults, Short, CancellationToken.None);
        Assert.Equal(["at quiescence pkmap_count[1] is 2: a kmap was never kunmapped"], stress.Violations);
    }

    [Fact]
    public void TemporaryFamily_AQuiescenceViolation_FailsTheIteration_AndTheStressRun()
    {
        var scenario = new PageLeakScenario();
        var bug = Systematic(scenario);
        const string Leak = "at quiescence 1 page(s) of the pool were never freed: pfn 0x38000 (an alloc_page without its __free_page: a leak)";
        Assert.Equal(BugKind.AssertionFailure, bug?.Kind);
        Assert.Equal(Leak, bug?.Message);

        var stress = scenario.RunStress(scenario.Defaults, Short, CancellationToken.None);
        Assert.Equal([$"SimAssertionException: AssertionFailure: {Leak}"], stress.Violations);
    }

    /// <summary>A temporary-family workload whose task 0 allocates a page in its first operation and never frees it.</summary>
    private sealed class PageLeakScenario() : TemporaryScenario("leaks-a-page", "task 0 never frees its first page", fixedTasks: true)
    {
        public override void Run(ScenarioParameters parameters, RunProbe? probe)
        {
            var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = 1 } });
            probe?.BeginRound(world.Machine);
            var pool = new PageAllocator(world.Machine, world.Memory, world.HighPage(0), 4);
            world.Machine.StartTasks("leak", parameters.TasksPerCpu, index =>
            {
                for (var op = 0; More(probe, parameters, op); op++)
                {
                    if (index == 0 && op == 0) pool.AllocPage();
                    Done(probe);
                }
            });
            world.Machine.JoinAll();
            world.Machine.CheckQuiescent();
            probe?.Checked();
        }
    }
}
