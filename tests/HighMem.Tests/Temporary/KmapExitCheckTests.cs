using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// Each kmap flavour registers "nothing mapped at exit" with the machine (kmap_assert_nomap for kmap_local) and owns
/// the window PTEs of its live mappings: a task that returns holding a mapping is reported with the mapping named,
/// a window PTE nobody owns at quiescence is stray, a translation a TLB kept after its PTE went is stale — and the
/// balanced section stays clean.
/// </summary>
public sealed class KmapExitCheckTests
{
    private static SimAssertionException ExitFailure(HighMemModel world, int cpu, Action body) =>
        Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, cpu, body));

    [Theory]
    [InlineData(AtomicClearMode.Eager)]
    [InlineData(AtomicClearMode.Lazy)]
    public void TypedKmapAtomic_HeldAtExit_IsReportedBeforeThePreemptCountItHolds(AtomicClearMode mode)
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = new TypedKmapAtomic(new TypedAtomicConfig { Mode = mode }, world.Windows, world.Interrupts, world.Pagefaults);
        var e = ExitFailure(world, 1, () => kmap.KmapAtomic(world.HighPage(2), KmType.KM_USER1));
        Assert.Equal($"AssertionFailure: at exit of test/1 on CPU1: kmap_atomic slot KM_USER1 of CPU1 is still held by test/1[Process] (pfn {world.HighPage(2)}): " +
                     "a kmap_atomic without its kunmap_atomic", e.Message);
    }

    [Fact]
    public void TypedKmapAtomic_LeftByAnInterruptHandler_IsTheInterruptedTasksAtItsExit()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = new TypedKmapAtomic(new TypedAtomicConfig(), world.Windows, world.Interrupts, world.Pagefaults);
        var e = ExitFailure(world, 0, () => Machine.CurrentCpuOrThrow.RunNmi("perf", _ => kmap.KmapAtomic(world.HighPage(4), KmType.KM_NMI)));
        Assert.StartsWith("AssertionFailure: at exit of test/0 on CPU0: kmap_atomic slot KM_NMI of CPU0 is still held by test/0[Nmi]", e.Message);
    }

    [Theory]
    [InlineData(AtomicClearMode.Eager)]
    [InlineData(AtomicClearMode.Lazy)]
    public void TypedKmapAtomic_Unmapped_LeavesTheTaskAndTheMachineClean(AtomicClearMode mode)
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = new TypedKmapAtomic(new TypedAtomicConfig { Mode = mode }, world.Windows, world.Interrupts, world.Pagefaults);
        OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            Load(world, va, world.HighPage(0));   // fills CPU0's TLB
            kmap.KunmapAtomic(va, KmType.KM_USER0);
        });
        // Lazy clear leaves the PTE (and its matching translation) in place by design: owned, not stray.
        Assert.Null(world.Machine.QuiescentViolation());
    }

    [Fact]
    public void StackKmapAtomic_HeldAtExit_IsReported_AndUnmappedIsClean()
    {
        var world = OnCpu.World(window: 4);
        var kmap = new StackKmapAtomic(new StackAtomicConfig { KmTypeNr = 4 }, world.Windows, world.Interrupts, world.Pagefaults);
        var e = ExitFailure(world, 1, () =>
        {
            kmap.KmapAtomic(world.HighPage(0));
            kmap.KmapAtomic(world.HighPage(1));
        });
        Assert.Equal($"AssertionFailure: at exit of test/1 on CPU1: CPU1's kmap_atomic stack is still 2 deep (slot 1 maps pfn {world.HighPage(1)}): " +
                     "a kmap_atomic without its kunmap_atomic", e.Message);

        var clean = OnCpu.World(window: 4);
        var ok = new StackKmapAtomic(new StackAtomicConfig { KmTypeNr = 4 }, clean.Windows, clean.Interrupts, clean.Pagefaults);
        OnCpu.Run(clean, 1, () => ok.KunmapAtomic(ok.KmapAtomic(clean.HighPage(0))));
        Assert.Null(clean.Machine.QuiescentViolation());
    }

    [Fact]
    public void KmapLocal_HeldAtExit_IsKmapAssertNomap()
    {
        var world = OnCpu.World(window: 4);
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = 4 }, world.Machine, world.Windows, world.Interrupts);
        var e = ExitFailure(world, 0, () => kmap.KmapLocalPage(world.HighPage(5)));
        Assert.Equal($"AssertionFailure: at exit of test/0 on CPU0: kmap_local: idx is 1 (kmap_assert_nomap: a kmap_local_page without its kunmap_local): " +
                     $"slot 0 of CPU0 maps pfn {world.HighPage(5)}", e.Message);
    }

    [Fact]
    public void KmapLocal_AnUnmapThatForgotThePteValue_IsReportedAtExit()
    {
        var world = OnCpu.World(window: 4);
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = 4 }, world.Machine, world.Windows, world.Interrupts);
        var e = ExitFailure(world, 0, () =>
        {
            var va = kmap.KmapLocalPage(world.HighPage(5));
            var saved = kmap.Ctrl(KernelTask.Current!).PteVal[0];
            kmap.KunmapLocal(va);
            kmap.Ctrl(KernelTask.Current!).PteVal[0] = saved;   // as if kunmap_local had not cleared pteval[0]
        });
        Assert.Equal($"AssertionFailure: at exit of test/0 on CPU0: kmap_local: pteval[0] still records pfn {world.HighPage(5)} although idx is 0 " +
                     "(a kunmap_local that did not clear the value sched_in restores)", e.Message);
    }

    [Fact]
    public void KmapLocal_Unmapped_LeavesTheTaskAndTheMachineClean()
    {
        var world = OnCpu.World(window: 4);
        var kmap = new KmapLocal(new LocalKmapConfig { KmMaxIdx = 4 }, world.Machine, world.Windows, world.Interrupts);
        OnCpu.Run(world, 0, () =>
        {
            var a = kmap.KmapLocalPage(world.HighPage(0));
            var b = kmap.KmapAtomic(world.HighPage(1), world.Pagefaults);
            Load(world, b, world.HighPage(1));
            kmap.KunmapAtomic(b, world.Pagefaults);
            kmap.KunmapLocal(a);
        });
        Assert.Null(world.Machine.QuiescentViolation());
    }

    /// <summary>A PTE left in a kmap window with no live mapping behind it (an unmap that skipped its pte_clear) is stray.</summary>
    [Fact]
    public void AWindowPteNoMappingOwns_IsStrayAtQuiescence()
    {
        var world = OnCpu.World(window: 4);
        _ = new StackKmapAtomic(new StackAtomicConfig { KmTypeNr = 4 }, world.Windows, world.Interrupts, world.Pagefaults);
        OnCpu.Run(world, 1, () => world.Windows.Install(Machine.CurrentCpuOrThrow, 2, world.HighPage(3), bugIfMapped: true, "test", "stray"));
        var va = world.Layout.KmapAddress(1, 2);
        Assert.Equal($"at quiescence the fixmap PTE of 0x{va:x8} (fixmap index {world.Layout.KmapFixIndex(1, 2)}) maps pfn 0x{world.HighPage(3):x} " +
                     "but no live mapping owns it (a stray PTE: an unmap that left it behind, or a map that wrote the wrong address)",
            world.Machine.QuiescentViolation());
    }

    /// <summary>A slot cleared without its local flush leaves CPU0's TLB translating it: stale at quiescence.</summary>
    [Fact]
    public void AWindowSlotClearedWithoutItsFlush_LeavesAStaleTranslation()
    {
        var world = OnCpu.World(window: 4);
        var pfn = world.HighPage(1);
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = world.Windows.Install(cpu, 0, pfn, bugIfMapped: true, "test", "slot 0");
            Load(world, va, pfn);
            world.Windows.Clear(cpu.Id, 0);   // no __flush_tlb_one
        });
        Assert.Equal($"at quiescence CPU0's TLB maps virtual page 0x{world.Layout.KmapAddress(0, 0) >> 12:x} (fixmap) to pfn 0x{pfn:x} " +
                     "but the page tables map nothing there (a stale translation: a PTE changed without its TLB flush)",
            world.Machine.QuiescentViolation());
    }

    // A checked load through va on the current CPU: it walks the page tables and fills the TLB.
    private static void Load(HighMemModel world, uint va, int pfn) =>
        world.Oracle.ReadExpect(Machine.CurrentCpuOrThrow, va, pfn, world.Memory.Read(pfn), "test");
}
