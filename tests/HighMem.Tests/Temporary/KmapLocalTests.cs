using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Sequential map/unmap of kmap_local (spec §2.6).</summary>
public sealed class KmapLocalTests
{
    private static KmapLocal Kmap(HighMemModel world, LocalKmapConfig? config = null) =>
        new(config ?? new LocalKmapConfig { KmMaxIdx = 4 }, world.Machine, world.Windows, world.Interrupts);

    [Fact]
    public void NestedMaps_RecordThePteAfterInstalling_AndKeepMigrationDisabledUntilUnmap()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        OnCpu.Run(world, 1, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            var ctrl = kmap.Ctrl(task);
            Assert.Equal(2, ctrl.Idx);
            Assert.Equal(world.HighPage(0), ctrl.Recorded(0));
            Assert.Equal(world.HighPage(1), ctrl.Recorded(1));
            Assert.Equal(world.Layout.KmapAddress(1, 0), a);
            Assert.Equal(world.Layout.KmapAddress(1, 1), b);
            Assert.Equal(2, task.MigrationDisabled);
            Assert.Equal(0, task.Cpu.PreemptCount);          // preemptible while holding local mappings
            Assert.True(kmap.HoldsSlot(task, b));
            kmap.KunmapLocal(b);
            kmap.KunmapLocal(a);
            Assert.Equal(0, ctrl.Idx);
            Assert.Null(ctrl.Recorded(0));
            Assert.Equal(0, task.MigrationDisabled);
            Assert.Null(world.Windows.Pte(1, 0));
            kmap.AssertNoMap(task);
        });
    }

    [Fact]
    public void KmapAtomicOnLocal_SharesTheTasksStack_AndIsNotPreemptible()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        OnCpu.Run(world, 0, () =>
        {
            var task = KernelTask.Current!;
            var local = kmap.KmapLocalPage(world.HighPage(0));
            var atomic = kmap.KmapAtomic(world.HighPage(1), world.Pagefaults);
            Assert.Equal(world.Layout.KmapAddress(0, 1), atomic);
            Assert.Equal(1, task.Cpu.PreemptCount);
            Assert.True(world.Pagefaults.Disabled);
            Assert.Equal(2, kmap.Ctrl(task).Idx);
            kmap.KunmapAtomic(atomic, world.Pagefaults);
            Assert.Equal(0, task.Cpu.PreemptCount);
            Assert.False(world.Pagefaults.Disabled);
            kmap.KunmapLocal(local);
            Assert.Equal(0, kmap.Ctrl(task).Idx);
        });
    }

    [Fact]
    public void UsableDepth_IsOneBelowKmMaxIdx()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            for (var i = 0; i < 3; i++) kmap.KmapLocalPage(world.HighPage(i));
            kmap.KmapLocalPage(world.HighPage(3));
        }));
        Assert.Contains("BUG_ON(idx >= KM_MAX_IDX): test/0 reaches 4 with KM_MAX_IDX = 4", e.Message);
    }

    [Fact]
    public void LowmemPage_IsNotPushed()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapLocalPage(5);
            Assert.Equal(world.Layout.LowmemAddress(5), va);
            kmap.KunmapLocal(va);
            Assert.Equal(0, kmap.Ctrl(KernelTask.Current!).Idx);
            Assert.Equal(0, KernelTask.Current!.MigrationDisabled);
        });
    }

    [Fact]
    public void OutOfOrderUnmap_Warns()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            var a = kmap.KmapLocalPage(world.HighPage(0));
            kmap.KmapLocalPage(world.HighPage(1));
            kmap.KunmapLocal(a);
        }));
        Assert.Contains("WARNING: kunmap_local_indexed: 0xffffb000 is not the top of test/0's kmap stack (slot 1 of CPU0", e.Message);
    }

    [Fact]
    public void TaskEndingWithAMapping_ViolatesL4()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            kmap.KmapLocalPage(world.HighPage(0));
            kmap.AssertNoMap(KernelTask.Current!);
        }));
        Assert.Contains("invariant L4 violated: test/0 ends with 1 kmap_local mapping(s)", e.Message);
    }

    [Fact]
    public void DebugKmapLocal_UsesOddPositions_AndLeavesTheGuardsEmpty()
    {
        var world = OnCpu.World(window: 5);
        var kmap = Kmap(world, new LocalKmapConfig { KmMaxIdx = 5, DebugKmapLocal = true });
        OnCpu.Run(world, 0, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            Assert.Equal(world.Layout.KmapAddress(0, 1), a);
            Assert.Equal(world.Layout.KmapAddress(0, 3), b);
            var ctrl = kmap.Ctrl(task);
            Assert.Equal(4, ctrl.Idx);
            Assert.Equal([0, 0], new[] { ctrl.PteVal[0], ctrl.PteVal[2] });
            Assert.Null(world.Windows.Pte(0, 0));
            Assert.Null(world.Windows.Pte(0, 2));
            Assert.False(kmap.HoldsSlot(task, world.Layout.KmapAddress(0, 2)));
            kmap.KunmapLocal(b);
            kmap.KunmapLocal(a);
            Assert.Equal(0, ctrl.Idx);
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ContextSwitch_ClearsTheOutgoingSlots_AndRestoresThemAtSchedIn(bool debug)
    {
        // Two tasks share CPU0; each holds a mapping across a preemption point, so sched_out/in must swap them.
        var report = SystematicTest.Run(() =>
        {
            var world = OnCpu.World(window: 4);
            var kmap = Kmap(world, new LocalKmapConfig { KmMaxIdx = 4, DebugKmapLocal = debug });
            world.Machine.StartTasks("t", 2, index =>
            {
                if (KernelTask.Current!.Cpu.Id != 0) return;
                var pfn = world.HighPage(index);
                var va = kmap.KmapLocalPage(pfn);
                KernelTask.Current!.Cpu.InterruptWindow();   // preemption point: the other task may run and map
                world.Oracle.ReadExpect(KernelTask.Current!.Cpu, va, pfn, world.Memory.Read(pfn), $"t{index}");
                kmap.KunmapLocal(va);
            });
            world.Machine.JoinAll();
            for (var k = 0; k < 4; k++) Assert.Null(world.Windows.Pte(0, k));
        }, new TestOptions { Strategy = "dfs", Iterations = 500 });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.IterationsRun > 1);
    }
}
