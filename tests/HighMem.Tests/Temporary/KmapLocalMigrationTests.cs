using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// Invariant L2 (spec §5 item 19): a task holding local mappings stays on the CPU of its first one. Without
/// migrate_disable (H19 i) the first check that sees the task on another CPU reports it; a task holding nothing may
/// migrate freely. Two CPUs, migration allowed, DFS over the CPU a preempted task resumes on.
/// </summary>
public sealed class KmapLocalMigrationTests
{
    private static readonly AddressLayout Layout = new() { NrCpus = 2, KmapWindow = 4 };

    private static HighMemModel World() => HighMemModel.Create(new HighMemConfig { Layout = Layout, AllowMigration = true });

    private static KmapLocal Kmap(HighMemModel world, BugVariant? variant = null) =>
        new(new LocalKmapConfig { KmMaxIdx = 4, Variant = variant }, world.Machine, world.Windows, world.Interrupts);

    private static BugReport FirstBug(Action<HighMemModel, KmapLocal> body, BugVariant? variant = null)
    {
        var report = SystematicTest.Run(() =>
        {
            var world = World();
            var kmap = Kmap(world, variant);
            world.Machine.StartTask("t", 0, () => body(world, kmap));
            world.Machine.JoinAll();
        }, new TestOptions { Strategy = "dfs", Iterations = 100 });
        Assert.True(report.Bug is not null, $"no bug in {report.IterationsRun} iterations");
        return report.Bug!;
    }

    [Fact]
    public void WithoutMigrateDisable_ATaskResumingOnCpu1_ViolatesL2AtSchedIn()
    {
        var pfn = Layout.MaxLowPfn;   // the first highmem frame
        var bug = FirstBug((world, kmap) =>
        {
            var va = kmap.KmapLocalPage(world.HighPage(0));
            KernelTask.Current!.Cpu.InterruptWindow();
            kmap.KunmapLocal(va);
        }, LocalVariants.LocalNoMigrateDisable);
        Assert.Equal("invariant L2 violated at sched_in: t holds 1 kmap_local mapping(s) made on CPU0 but runs on CPU1", bug.Message);
        // The trace names the mapping (slot 0 of CPU0: fixmap index 4, 0xFFFFF000 - 4 pages) and the migration.
        Assert.Contains($"t kmap_local(pfn {pfn}) = 0xffffb000 (slot 0, CPU0)", bug.Interleaving);
        Assert.Contains("t migrates CPU0 → CPU1", bug.Interleaving);
    }

    [Fact]
    public void WithoutMigrateDisable_AnNmiMappingBeforeSchedInOnCpu1_ViolatesL2AtItsKunmapLocal()
    {
        // The NMI is pending on CPU1 only, so it can fire only once t has moved there: between the switch and
        // sched_in, where it pushes on t's stack and its kunmap_local is the first check to see t off its CPU.
        var bug = FirstBug((world, kmap) =>
        {
            world.Interrupts.RaiseNmi(1, "perf", _ => kmap.KunmapLocal(kmap.KmapLocalPage(world.HighPage(1))));
            var va = kmap.KmapLocalPage(world.HighPage(0));
            KernelTask.Current!.Cpu.InterruptWindow();
            kmap.KunmapLocal(va);
        }, LocalVariants.LocalNoMigrateDisable);
        Assert.Equal("invariant L2 violated at kunmap_local: t holds 2 kmap_local mapping(s) made on CPU0 but runs on CPU1", bug.Message);
    }

    [Fact]
    public void ATaskHoldingNothing_MayMigrate_AndADoubleKunmapThereIsTheLifoWarning()
    {
        // t maps and unmaps on CPU0, then (holding nothing, migration enabled again) resumes on CPU1 and unmaps
        // CPU0's address a second time. Its stack is empty, so L2 has nothing to say; the LIFO check expects
        // position -1 of CPU1: fixmap index 4 - 1 + 4 = 7, 0xFFFFF000 - 7 pages.
        var bug = FirstBug((world, kmap) =>
        {
            var va = kmap.KmapLocalPage(world.HighPage(0));
            kmap.KunmapLocal(va);
            KernelTask.Current!.Cpu.InterruptWindow();
            if (KernelTask.Current!.Cpu.Id == 1) kmap.KunmapLocal(va);
        });
        Assert.Equal("WARNING: kunmap_local_indexed: 0xffffb000 is not the top of t's kmap stack (slot -1 of CPU1, 0xffff8000)", bug.Message);
    }
}
