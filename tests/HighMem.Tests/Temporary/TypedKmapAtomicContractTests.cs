using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The contracts of the typed kmap_atomic (spec §2.2, §2.3) beyond one clean map and unmap: which types a window of
/// KM_TYPE_NR slots has, what DEBUG_HIGHMEM adds to each flavour, that debug_kmap_atomic belongs to the eager one,
/// the ghost owner behind invariant A1, and the variant that forgets to disable preemption.
/// </summary>
public sealed class TypedKmapAtomicContractTests
{
    private static TypedKmapAtomic Kmap(HighMemModel world, TypedAtomicConfig config) =>
        new(config, world.Windows, world.Interrupts, world.Pagefaults);

    /// <summary>
    /// __fix_to_virt(FIX_KMAP_BEGIN + type + KM_TYPE_NR·cpu) = FIXADDR_TOP − ((4 + type + KM_TYPE_NR·cpu) &lt;&lt; 12) on
    /// the default layout (four permanent fixmaps before FIX_KMAP_BEGIN): spec §0 and §2.2, by hand.
    /// </summary>
    private static uint Slot(int kmTypeNr, int cpu, KmType type) => 0xFFFFF000u - ((uint)(4 + (int)type + kmTypeNr * cpu) << 12);

    private static TypedAtomicConfig Classic(AtomicClearMode mode, bool debug = false) =>
        new() { Mode = mode, DebugHighmem = debug, KmTypeNr = KmTypes.Classic };

    /// <summary>2.6.11 has 13 types, KM_BOUNCE_READ (0) to KM_SOFTIRQ1 (12); KM_IRQ_PTE and the NMI types came later.</summary>
    [Fact]
    public void AClassicWindow_HoldsTypesZeroToTwelve_AndRefusesTheLaterAdditions()
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, Classic(AtomicClearMode.Eager));
        OnCpu.Run(world, 1, () =>
        {
            var first = kmap.KmapAtomic(world.HighPage(0), KmType.KM_BOUNCE_READ);
            var last = kmap.KmapAtomic(world.HighPage(1), KmType.KM_SOFTIRQ1);
            Assert.Equal(Slot(13, 1, KmType.KM_BOUNCE_READ), first);
            Assert.Equal(Slot(13, 1, KmType.KM_SOFTIRQ1), last);
            Assert.Equal(2, Machine.CurrentCpuOrThrow.PreemptCount);
            kmap.KunmapAtomic(last, KmType.KM_SOFTIRQ1);
            kmap.KunmapAtomic(first, KmType.KM_BOUNCE_READ);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => kmap.KmapAtomic(world.HighPage(2), KmType.KM_IRQ_PTE));
            Assert.Equal("type", e.ParamName);
            Assert.Throws<ArgumentOutOfRangeException>(() => kmap.KunmapAtomic(first, KmType.KM_NMI));
            Assert.Throws<ArgumentOutOfRangeException>(() => kmap.KmapAtomic(world.HighPage(2), (KmType)(-1)));
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);   // refused before the atomic section starts
        });
    }

    /// <summary>
    /// Lazy clear with DEBUG_HIGHMEM behaves like the eager flavour: the map checks the PTE is none, the unmap clears
    /// it and flushes this CPU's translation.
    /// </summary>
    [Fact]
    public void DebugHighmemLazy_ClearsAtUnmap_AndBugsOnAMapOverALiveSlot()
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, Classic(AtomicClearMode.Lazy, debug: true));
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_PTE0);
            Assert.Equal(world.HighPage(0), world.Oracle.Translate(cpu, va));   // fills the TLB
            kmap.KunmapAtomic(va, KmType.KM_PTE0);
            Assert.Null(world.Windows.Pte(0, (int)KmType.KM_PTE0));
            Assert.Null(cpu.Tlb.Lookup(X86Layout.Vpn(va)));
            var low = kmap.KmapAtomic(9, KmType.KM_PTE0);       // lowmem: below FIXADDR_START, the unmap checks nothing
            kmap.KunmapAtomic(low, KmType.KM_PTE0);
            kmap.KmapAtomic(world.HighPage(1), KmType.KM_PTE0);
            kmap.KmapAtomic(world.HighPage(2), KmType.KM_PTE0);   // the same slot again, still mapped
        }));
        Assert.StartsWith("kernel BUG at kmap_atomic: BUG_ON(!pte_none(*(kmap_pte-7))): KM_PTE0 on CPU0", e.Message);
    }

    /// <summary>Eager clear with DEBUG_HIGHMEM: an unmap address that is neither the type's slot nor lowmem is a BUG.</summary>
    [Fact]
    public void DebugHighmemEager_BugsOnAForeignAddress_ButAcceptsLowmem()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig { DebugHighmem = true });
        var other = Slot(16, 0, KmType.KM_USER1);
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var low = kmap.KmapAtomic(9, KmType.KM_USER0);
            kmap.KunmapAtomic(low, KmType.KM_USER0);
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);
            kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            kmap.KunmapAtomic(other, KmType.KM_USER0);
        }));
        Assert.Equal($"kernel BUG at kunmap_atomic: 0x{other:x8} is not KM_USER0 of CPU0 (0x{Slot(16, 0, KmType.KM_USER0):x8})", e.Message);
    }

    /// <summary>An address inside the slot's page (not page-aligned) unmaps that slot: the kernel compares page_align(va).</summary>
    [Theory]
    [InlineData(AtomicClearMode.Eager)]
    [InlineData(AtomicClearMode.Lazy)]
    public void UnmapOfAnAddressInsideTheSlotsPage_ClearsTheSlot(AtomicClearMode mode)
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, Classic(mode, debug: true));
        OnCpu.Run(world, 1, () =>
        {
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            kmap.KunmapAtomic(va + 0x123, KmType.KM_USER0);
            Assert.Null(world.Windows.Pte(1, (int)KmType.KM_USER0));
            Assert.Null(kmap.Owner(1, KmType.KM_USER0));
        });
    }

    /// <summary>debug_kmap_atomic arrived with the eager generation (≈2.6.27); the 2.6.11 lazy code has no legality check.</summary>
    [Fact]
    public void TheLegalityCheck_RunsOnlyInTheEagerFlavour_AndOnlyWhenConfigured()
    {
        foreach (var config in new[]
                 {
                     Classic(AtomicClearMode.Lazy) with { DebugKmapAtomic = true },
                     new TypedAtomicConfig { Mode = AtomicClearMode.Eager, DebugKmapAtomic = false },
                 })
        {
            var world = OnCpu.World(config.KmTypeNr);
            var kmap = Kmap(world, config);
            OnCpu.Run(world, 0, () =>
            {
                var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_IRQ0);   // IRQ type with IRQs on: illegal
                kmap.KunmapAtomic(va, KmType.KM_IRQ0);
            });
        }
    }

    /// <summary>A1: the unmap of (CPU, type) must come from the context that mapped it; the ghost owner names both.</summary>
    [Fact]
    public void AnNmiUnmappingTheProcesssSlot_ViolatesA1_NamingBothContexts()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig());
        var va = Slot(16, 0, KmType.KM_USER0);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            Assert.Equal(va, kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0));
            Assert.Equal("test/0[Process]", kmap.Owner(0, KmType.KM_USER0));
            Assert.Null(kmap.Owner(1, KmType.KM_USER0));
            Machine.CurrentCpuOrThrow.RunNmi("nmi", _ => kmap.KunmapAtomic(va, KmType.KM_USER0));
        }));
        Assert.Equal(
            "AssertionFailure: invariant A1 violated: test/0[Nmi] unmaps (KM_USER0, CPU0) but it is held by test/0[Process]; " +
            $"the address it passed, 0x{va:x8}, is fixmap index 7 is slot 3 of CPU0's window", e.Message);
    }

    [Fact]
    public void AnUnmapOfASlotNobodyMapped_ViolatesA1()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig());
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 1, () =>
        {
            Machine.CurrentCpuOrThrow.PreemptDisable();   // the section the unmap ends
            world.Pagefaults.Disable();
            kmap.KunmapAtomic(Slot(16, 1, KmType.KM_USER1), KmType.KM_USER1);
        }));
        Assert.Contains("unmaps (KM_USER1, CPU1) but it is held by nobody; the address it passed", e.Message);
        Assert.Contains("is fixmap index 24 is slot 4 of CPU1's window", e.Message);
    }

    /// <summary>atomic-no-preempt-disable: the section disables page faults but leaves the task preemptible.</summary>
    [Fact]
    public void NoPreemptDisableVariant_LeavesThePreemptCountAlone()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig { Variant = AtomicVariants.AtomicNoPreemptDisable });
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            Assert.Equal(0, cpu.PreemptCount);
            Assert.True(world.Pagefaults.Disabled);
            kmap.KunmapAtomic(va, KmType.KM_USER0);
            Assert.Equal(0, cpu.PreemptCount);
            Assert.False(world.Pagefaults.Disabled);
            Assert.Null(world.Windows.Pte(0, (int)KmType.KM_USER0));
        });
    }

    /// <summary>An A1 report names the passed address only when it lies in the kmap window.</summary>
    [Fact]
    public void AnA1ReportForAnAddressOutsideTheWindow_DoesNotDescribeIt()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig());
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 1, () =>
            kmap.KunmapAtomic(world.Layout.VmallocStart, KmType.KM_USER1)));
        Assert.Equal("AssertionFailure: invariant A1 violated: test/1[Process] unmaps (KM_USER1, CPU1) but it is held by nobody", e.Message);
    }

    /// <summary>The model's interrupt point in kmap_atomic lies after the checks and before the PTE write.</summary>
    [Fact]
    public void AnIrqPendingAtKmapAtomic_IsTakenBeforeThePteIsWritten()
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = KmTypes.WithNmi }, IrqFireChoices = 1 });
        var kmap = Kmap(world, new TypedAtomicConfig());
        var seen = new List<int?>();
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            cpu.RaiseIrq(new IrqLine("disk", _ => seen.Add(world.Windows.Pte(0, (int)KmType.KM_USER0))));
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            Assert.Equal([null], seen);
            kmap.KunmapAtomic(va, KmType.KM_USER0);
        });
    }

    /// <summary>kunmap_atomic ends with preempt_check_resched: a pending IRQ is taken there, with or without the variant.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KunmapAtomic_EndsAtAPreemptionPoint(bool noPreemptDisable)
    {
        var world = HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = KmTypes.WithNmi }, IrqFireChoices = 1 });
        var kmap = Kmap(world, new TypedAtomicConfig { Variant = noPreemptDisable ? AtomicVariants.AtomicNoPreemptDisable : null });
        var fired = 0;
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            cpu.RaiseIrq(new IrqLine("disk", _ => fired++));
            kmap.KunmapAtomic(va, KmType.KM_USER0);
            Assert.Equal(1, fired);
        });
    }

    /// <summary>A lazy DEBUG_HIGHMEM unmap checks every address from FIXADDR_START up: FIXADDR_START itself (0xFFFDF000 for 13 types on two CPUs: 4 + 26 + 2 permanent fixmaps) is not a slot.</summary>
    [Fact]
    public void DebugHighmemLazyUnmapOfFixaddrStart_IsABug()
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, Classic(AtomicClearMode.Lazy, debug: true));
        Assert.Equal(0xFFFDF000u, world.Layout.FixaddrStart);
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            kmap.KunmapAtomic(0xFFFDF000u, KmType.KM_USER0);
        }));
        Assert.Contains($"0xfffdf000 is not KM_USER0 of CPU0 (0x{Slot(13, 0, KmType.KM_USER0):x8})", e.Message);
    }

    [Fact]
    public void Constructor_RefusesMissingPartsAndAWindowThatIsNotKmTypeNrWide()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var config = new TypedAtomicConfig();
        Assert.Equal("config", Assert.Throws<ArgumentNullException>(() => new TypedKmapAtomic(null!, world.Windows, world.Interrupts, world.Pagefaults)).ParamName);
        Assert.Equal("windows", Assert.Throws<ArgumentNullException>(() => new TypedKmapAtomic(config, null!, world.Interrupts, world.Pagefaults)).ParamName);
        Assert.Equal("interrupts", Assert.Throws<ArgumentNullException>(() => new TypedKmapAtomic(config, world.Windows, null!, world.Pagefaults)).ParamName);
        Assert.Equal("pagefaults", Assert.Throws<ArgumentNullException>(() => new TypedKmapAtomic(config, world.Windows, world.Interrupts, null!)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Kmap(world, Classic(AtomicClearMode.Eager)));
        Assert.Equal("the layout's window (16) must equal KM_TYPE_NR (13)", e.Message);
    }
}
