using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// kmap_local's invariant checks (spec §5 items 18–23) fire at the boundaries where the invariants must hold: the
/// end of kmap_local_page and kunmap_local, sched_out and sched_in. Each test breaks the state the way a buggy
/// caller or variant would (a stray PTE in the window, an entry popped without being cleared, a guard position
/// that records a PTE) and expects the report of the first boundary that can see it.
/// </summary>
public sealed class KmapLocalInvariantCheckTests
{
    private static KmapLocal Kmap(HighMemModel world, int kmMaxIdx, bool debug = false) =>
        new(new LocalKmapConfig { KmMaxIdx = kmMaxIdx, DebugKmapLocal = debug }, world.Machine, world.Windows, world.Interrupts);

    // A machine whose CPUs are shared (migration allowed), so every interrupt window of a preemptible task is a
    // context switch: sched_out, then sched_in on the same CPU, as the task holds mappings (migration disabled).
    private static HighMemModel Switching(int window) =>
        HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = window }, AllowMigration = true });

    private static SimAssertionException Fails(HighMemModel world, Action body) =>
        Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, body));

    [Fact]
    public void StrayPteAboveTheTop_IsAnL1Violation_WhenKmapLocalPageReturns()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, 4);
        var stray = world.HighPage(7);
        var e = Fails(world, () =>
        {
            kmap.KmapLocalPage(world.HighPage(0));
            world.Tables.SetPteAt(world.Layout.KmapAddress(0, 2), stray);
            kmap.KmapLocalPage(world.HighPage(1));
        });
        Assert.Contains($"invariant L1 violated: slot 2 of CPU0 maps pfn {stray} but test/0 (idx 2) records nothing", e.Message);
    }

    [Fact]
    public void StrayPteAboveTheTop_IsAnL1Violation_WhenKunmapLocalReturns()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, 4);
        var stray = world.HighPage(7);
        var e = Fails(world, () =>
        {
            kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            world.Tables.SetPteAt(world.Layout.KmapAddress(0, 2), stray);
            kmap.KunmapLocal(b);
        });
        Assert.Contains($"invariant L1 violated: slot 2 of CPU0 maps pfn {stray} but test/0 (idx 1) records nothing", e.Message);
    }

    [Fact]
    public void EntryPoppedWithoutClearing_IsNoLongerHeld_AndItsLeftoversBreakL1()
    {
        // An unmap that pops without clearing (cf. pop-before-clear) leaves slot 1's PTE and pteval[1] above the top.
        // L1 says slot k must be pteval[k] only below idx, so the leftover PTE is a violation although pteval still
        // records it.
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, 4);
        var pa = world.HighPage(0);
        var pb = world.HighPage(1);
        var e = Fails(world, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(pa);
            var b = kmap.KmapLocalPage(pb);
            kmap.Ctrl(task).Idx = 1;
            Assert.False(kmap.HoldsSlot(task, b));
            Assert.True(kmap.HoldsSlot(task, a));
            kmap.KunmapLocal(a);
        });
        Assert.Contains($"invariant L1 violated: slot 1 of CPU0 maps pfn {pb} but test/0 (idx 0) records nothing", e.Message);
    }

    [Fact]
    public void EntryPoppedWithoutClearing_IsNotTheTasksSlotAtSchedOut_ButBreaksL1AtSchedIn()
    {
        // L3 concerns the task's slots [0, idx): sched_out clears slot 0 and leaves the leftover at slot idx = 1;
        // sched_in restores slot 0 and then finds the window holding more than the stack.
        var world = Switching(window: 4);
        var kmap = Kmap(world, 4);
        var pb = world.HighPage(1);
        var e = Fails(world, () =>
        {
            var task = KernelTask.Current!;
            kmap.KmapLocalPage(world.HighPage(0));
            kmap.KmapLocalPage(pb);
            kmap.Ctrl(task).Idx = 1;
            world.Interrupts.Window(task.Cpu);
        });
        Assert.Contains($"invariant L1 violated: slot 1 of CPU0 maps pfn {pb} but test/0 (idx 1) records nothing", e.Message);
    }

    [Fact]
    public void ContextSwitch_ClearsAndRestoresEveryHeldSlot_SkippingTheGuards()
    {
        // DEBUG_KMAP_LOCAL: two mappings sit at positions 1 and 3; positions 0 and 2 are guards that sched_out and
        // sched_in must skip (their pteval is 0 by design, not a lost mapping).
        var world = Switching(window: 5);
        var kmap = Kmap(world, 5, debug: true);
        OnCpu.Run(world, 0, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));   // its preempt_enable is a context switch
            world.Interrupts.Window(task.Cpu);               // and another one
            Assert.Equal(new int?[] { null, world.HighPage(0), null, world.HighPage(1), null },
                Enumerable.Range(0, 5).Select(k => world.Windows.Pte(0, k)).ToArray());
            kmap.KunmapLocal(b);
            kmap.KunmapLocal(a);
            Assert.All(Enumerable.Range(0, 5), k => Assert.Null(world.Windows.Pte(0, k)));
        });
    }

    [Fact]
    public void Debug_GuardPositionRecordingAPte_ViolatesItem23()
    {
        var world = OnCpu.World(window: 5);
        var kmap = Kmap(world, 5, debug: true);
        var bogus = world.HighPage(6);
        var e = Fails(world, () =>
        {
            kmap.KmapLocalPage(world.HighPage(0));
            kmap.Ctrl(KernelTask.Current!).PteVal[0] = bogus + 1;   // pteval encoding: frame + 1
            kmap.KmapLocalPage(world.HighPage(1));
        });
        Assert.Contains($"invariant 23 violated: test/0's guard position 0 records pfn {bogus}", e.Message);
    }

    [Fact]
    public void Debug_GuardPositionRecordingAPte_WarnsAtSchedOut()
    {
        var world = Switching(window: 5);
        var kmap = Kmap(world, 5, debug: true);
        var e = Fails(world, () =>
        {
            var task = KernelTask.Current!;
            kmap.KmapLocalPage(world.HighPage(0));
            kmap.Ctrl(task).PteVal[0] = world.HighPage(6) + 1;
            world.Interrupts.Window(task.Cpu);
        });
        Assert.Contains("WARNING: __kmap_local_sched_out: test/0's guard pteval[0] is not 0", e.Message);
    }

    [Fact]
    public void Debug_StrayPteInAGuardSlot_SurvivesSchedOut_AndViolatesL3()
    {
        // sched_out only clears positions that record a PTE; a guard slot that maps something stays mapped.
        var world = Switching(window: 5);
        var kmap = Kmap(world, 5, debug: true);
        var stray = world.HighPage(6);
        var e = Fails(world, () =>
        {
            var task = KernelTask.Current!;
            kmap.KmapLocalPage(world.HighPage(0));
            world.Tables.SetPteAt(world.Layout.KmapAddress(0, 0), stray);
            world.Interrupts.Window(task.Cpu);
        });
        Assert.Contains($"invariant L3 violated: after sched_out of test/0, slot 0 of CPU0 still maps pfn {stray}", e.Message);
    }

    [Fact]
    public void Debug_GuardPtevalWrittenWhileSwitchedOut_WarnsAtSchedIn()
    {
        // An NMI between sched_out and sched_in scribbles on the interrupted task's guard position: sched_in checks
        // the guards itself rather than trusting sched_out's check.
        var report = SystematicTest.Run(() =>
        {
            var world = Switching(window: 5);
            var kmap = Kmap(world, 5, debug: true);
            world.Machine.StartTask("t", 0, () =>
            {
                var task = KernelTask.Current!;
                kmap.KmapLocalPage(world.HighPage(0));
                world.Interrupts.RaiseNmi(0, "scribbler", _ => kmap.Ctrl(KernelTask.Current!).PteVal[0] = world.HighPage(6) + 1);
                task.Cpu.InterruptWindow();   // a context switch; NMIs arrive only inside it
            });
            world.Machine.JoinAll();
        }, new TestOptions { Strategy = "dfs", Iterations = 50 });
        Assert.NotNull(report.Bug);
        Assert.Equal("WARNING: __kmap_local_sched_in: t's guard pteval[0] is not 0", report.Bug!.Message);
    }
}
