using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// kmap_local's edges (spec §2.6): argument checks, which addresses are a task's live entries, kunmap_local of
/// addresses outside the window, the push-time WARN for nestable hardirqs and pop's BUG_ON for an unbalanced unmap.
/// Addresses are known answers of the default layout: slot k of CPU c is fixmap index FIX_KMAP_BEGIN + k + W·c
/// with FIX_KMAP_BEGIN = 4, at FIXADDR_TOP (0xFFFFF000) minus that many pages.
/// </summary>
public sealed class KmapLocalContractTests
{
    private const int W = 4;

    private static uint Slot(int cpu, int k) => 0xFFFF_F000u - ((uint)(4 + k + W * cpu) << 12);

    private static KmapLocal Kmap(HighMemModel world) =>
        new(new LocalKmapConfig { KmMaxIdx = W }, world.Machine, world.Windows, world.Interrupts);

    [Fact]
    public void Constructor_RefusesNulls_AndAWindowOtherThanKmMaxIdx()
    {
        var world = OnCpu.World(window: W);
        var config = new LocalKmapConfig { KmMaxIdx = W };
        Assert.Throws<ArgumentNullException>("config", () => new KmapLocal(null!, world.Machine, world.Windows, world.Interrupts));
        Assert.Throws<ArgumentNullException>("machine", () => new KmapLocal(config, null!, world.Windows, world.Interrupts));
        Assert.Throws<ArgumentNullException>("windows", () => new KmapLocal(config, world.Machine, null!, world.Interrupts));
        Assert.Throws<ArgumentNullException>("interrupts", () => new KmapLocal(config, world.Machine, world.Windows, null!));
        // Window index k + KM_MAX_IDX·c only tiles the fixmap if each CPU's window is KM_MAX_IDX wide.
        var e = Assert.Throws<ArgumentException>(() => new KmapLocal(config with { KmMaxIdx = W + 1 }, world.Machine, world.Windows, world.Interrupts));
        Assert.Contains($"window ({W}) must equal KM_MAX_IDX ({W + 1})", e.Message);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        Assert.Throws<ArgumentNullException>("task", () => kmap.HoldsSlot(null!, Slot(0, 0)));
        Assert.Throws<ArgumentNullException>("task", () => kmap.HoldsSlot(null!, world.Layout.LowmemAddress(1)));
        Assert.Throws<ArgumentNullException>("task", () => kmap.AssertNoMap(null!));
        Assert.Throws<ArgumentNullException>("pagefaults", () => kmap.KmapAtomic(world.HighPage(0), null!));
        Assert.Throws<ArgumentNullException>("pagefaults", () => kmap.KunmapAtomic(Slot(0, 0), null!));
    }

    [Fact]
    public void HoldsSlot_IsTrueOnlyForLiveEntriesOfTheTasksStack_InItsOwnCpusWindow()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        OnCpu.Run(world, 1, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapLocalPage(world.HighPage(1));
            Assert.Equal(Slot(1, 0), a);
            Assert.Equal(Slot(1, 1), b);
            Assert.True(kmap.HoldsSlot(task, a));
            Assert.True(kmap.HoldsSlot(task, a + 0x123));      // any byte of the page
            Assert.True(kmap.HoldsSlot(task, b));
            Assert.False(kmap.HoldsSlot(task, Slot(1, 2)));    // above the top
            Assert.False(kmap.HoldsSlot(task, Slot(1, 3)));
            for (var k = 0; k < W; k++)
                Assert.False(kmap.HoldsSlot(task, Slot(0, k)), $"CPU0's slot {k} is not CPU1's task's");
            Assert.False(kmap.HoldsSlot(task, world.Layout.LowmemAddress(3)));   // the direct map is no kmap_local entry
            kmap.KunmapLocal(b);
            Assert.False(kmap.HoldsSlot(task, b));
            Assert.True(kmap.HoldsSlot(task, a));
            kmap.KunmapLocal(a);
            Assert.False(kmap.HoldsSlot(task, a));
        });
        var world0 = OnCpu.World(window: W);
        var kmap0 = Kmap(world0);
        OnCpu.Run(world0, 0, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap0.KmapLocalPage(world0.HighPage(0));
            Assert.Equal(Slot(0, 0), a);
            Assert.True(kmap0.HoldsSlot(task, a));
            for (var k = 0; k < W; k++) Assert.False(kmap0.HoldsSlot(task, Slot(1, k)));
            kmap0.KunmapLocal(a);
        });
    }

    [Fact]
    public void FirstCpu_IsNoneBeforeTheFirstMapping_ThenTheCpuOfIt()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        OnCpu.Run(world, 1, () =>
        {
            var ctrl = kmap.Ctrl(KernelTask.Current!);
            Assert.True(ctrl.FirstCpu < 0, $"a fresh kmap_ctrl names CPU{ctrl.FirstCpu}");
            kmap.KunmapLocal(kmap.KmapLocalPage(world.HighPage(0)));
            Assert.Equal(1, ctrl.FirstCpu);
        });
    }

    [Fact]
    public void KunmapLocal_OfTheDirectMap_IsANoOp_EvenAtPageOffset()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        OnCpu.Run(world, 0, () =>
        {
            var task = KernelTask.Current!;
            var va = kmap.KmapLocalPage(0);   // lowmem pfn 0 is page_address = PAGE_OFFSET
            Assert.Equal(0xC000_0000u, va);
            kmap.KunmapLocal(va);
            kmap.KunmapLocal(va + 0xABC);
            Assert.Equal(0, kmap.Ctrl(task).Idx);
            Assert.Equal(0, task.MigrationDisabled);
            Assert.Equal(0, task.Cpu.PreemptCount);
        });
    }

    [Fact]
    public void KunmapLocal_BelowPageOffset_Warns()
    {
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () => kmap.KunmapLocal(0xBFFF_F123)));
        Assert.Contains("WARNING: kunmap_local: 0xbffff123 is below PAGE_OFFSET", e.Message);
    }

    [Fact]
    public void HardirqMappings_NestAboveTheTask_AndANestableHardirqWarns()
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = W }, IrqFireChoices = 1 });
        var kmap = Kmap(world);
        OnCpu.Run(world, 0, () =>
        {
            var task = KernelTask.Current!;
            var a = kmap.KmapLocalPage(world.HighPage(0));
            uint inIrq = 0;
            world.Interrupts.RaiseIrq(0, "disk", _ =>
            {
                inIrq = kmap.KmapLocalPage(world.HighPage(1));
                Assert.Equal(2, kmap.Ctrl(task).Idx);            // on the interrupted task's stack
                kmap.KunmapLocal(inIrq);
            });
            task.Cpu.InterruptWindow();
            Assert.Equal(Slot(0, 1), inIrq);
            Assert.Equal(1, kmap.Ctrl(task).Idx);
            Assert.Equal(world.HighPage(0), kmap.Ctrl(task).Recorded(0));
            Assert.Equal(world.HighPage(0), world.Windows.Pte(0, 0));
            Assert.Null(world.Windows.Pte(0, 1));
            kmap.KunmapLocal(a);
        });

        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 1, () =>
        {
            world.Interrupts.RaiseIrq(1, "legacy", cpu =>
            {
                cpu.LocalIrqEnable();   // a handler that re-enables IRQs can be interrupted by its own kind
                kmap.KmapLocalPage(world.HighPage(2));
            });
            KernelTask.Current!.Cpu.InterruptWindow();
        }));
        Assert.Contains("WARNING: kmap_local_idx_push: nestable hardirq kmap on CPU1", e.Message);
    }

    [Fact]
    public void UnbalancedKunmapLocal_OnCpu0_FailsTheLifoCheck()
    {
        // With an empty stack the expected top is stack position -1: fixmap index 4 - 1 = 3, outside the window.
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () => kmap.KunmapLocal(Slot(0, 0))));
        Assert.Contains("0xffffb000 is not the top of test/0's kmap stack (slot -1 of CPU0, 0xffffc000)", e.Message);
    }

    [Fact]
    public void UnbalancedKunmapLocal_OnCpu1_OfCpu0sLastSlot_ClearsIt_AndHitsPopsBugOn()
    {
        // On CPU1 position -1 is index -1 + W·1 = W - 1: CPU0's last slot, so the LIFO check passes; the kernel
        // clears that PTE and pop's BUG_ON(idx < 0) stops it.
        var world = OnCpu.World(window: W);
        var kmap = Kmap(world);
        world.Tables.SetPteAt(Slot(0, W - 1), world.HighPage(5));
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 1, () => kmap.KunmapLocal(Slot(0, W - 1))));
        Assert.Contains("kernel BUG at kmap_local_idx_pop: BUG_ON(idx < 0) in test/1", e.Message);
        Assert.Null(world.Windows.Pte(0, W - 1));
    }
}
