using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The per-CPU kmap windows (spec §2.1): slot (c, k) is fixmap index FIX_KMAP_BEGIN + k + W·c, its PTE is
/// kmap_pte − (k + W·c), a slot outside [0, W) breaks invariant 17, and the TLB flush is local to the CPU. On the
/// default layout FIX_KMAP_BEGIN is 4; with W = 4 and two CPUs FIX_KMAP_END is 4 + 4·2 − 1 = 11.
/// </summary>
public sealed class KmapWindowsTests
{
    [Theory]
    [InlineData(3, "fixmap index 3 is outside every kmap window")]
    [InlineData(4, "fixmap index 4 is slot 0 of CPU0's window")]
    [InlineData(7, "fixmap index 7 is slot 3 of CPU0's window")]
    [InlineData(8, "fixmap index 8 is slot 0 of CPU1's window")]
    [InlineData(11, "fixmap index 11 is slot 3 of CPU1's window")]
    [InlineData(12, "fixmap index 12 is outside every kmap window")]
    public void Describe_NamesTheCpuAndSlotOfAWindowIndex_AndNothingOutside(int index, string expected) =>
        Assert.Equal(expected, OnCpu.World(window: 4).Windows.Describe(index));

    [Theory]
    [InlineData(0, -1, "fixmap index 3 is outside every kmap window")]
    [InlineData(0, 4, "fixmap index 8 is slot 0 of CPU1's window")]
    [InlineData(1, 4, "fixmap index 12 is outside every kmap window")]
    public void InstallOutsideTheCpusWindow_ViolatesInvariant17(int cpu, int slot, string where)
    {
        var world = OnCpu.World(window: 4);
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, cpu, () =>
            world.Windows.Install(Machine.CurrentCpuOrThrow, slot, world.HighPage(0), bugIfMapped: true, "test", "slot"))); 
        Assert.Equal($"AssertionFailure: invariant 17 violated: slot on CPU{cpu} is outside its 4-slot window: {where}", e.Message);
    }

    [Fact]
    public void InstallOverALiveSlot_NamesItsPteAsKmapPteMinusKPlusWTimesC()
    {
        var world = OnCpu.World(window: 4);
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 1, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            Assert.Equal(0xFFFF5000u, world.Windows.Install(cpu, 2, world.HighPage(0), bugIfMapped: true, "f", "s"));   // index 10
            Assert.Equal(world.HighPage(0), world.Windows.Pte(1, 2));
            Assert.Equal(0xFFFF5000u, world.Windows.Install(cpu, 2, world.HighPage(1), bugIfMapped: false, "f", "s"));   // lazy overwrite
            Assert.Equal(world.HighPage(1), world.Windows.Pte(1, 2));
            world.Windows.Install(cpu, 2, world.HighPage(2), bugIfMapped: true, "f", "s");
        }));
        Assert.Equal(
            $"kernel BUG at f: BUG_ON(!pte_none(*(kmap_pte-6))): s on CPU1 (fixmap index 10, 0xffff5000) still maps pfn {world.HighPage(1)} " +
            $"while pfn {world.HighPage(2)} is being mapped (fixmap index 10 is slot 2 of CPU1's window)", e.Message);
    }

    /// <summary>Only the CPU that owns a window touches it, so its flush drops one page from its own TLB and nothing else.</summary>
    [Fact]
    public void LocalFlush_DropsOnePageFromTheCallingCpusTlbOnly()
    {
        var world = OnCpu.World(window: 4);
        OnCpu.Run(world, 0, () =>
        {
            var cpu0 = Machine.CurrentCpuOrThrow;
            var cpu1 = world.Machine.Cpus[1];
            var a = world.Windows.Install(cpu0, 0, world.HighPage(0), bugIfMapped: true, "f", "a");
            var b = world.Windows.Install(cpu0, 1, world.HighPage(1), bugIfMapped: true, "f", "b");
            world.Oracle.Translate(cpu0, a);
            world.Oracle.Translate(cpu0, b);
            world.Oracle.Translate(cpu1, a);   // a stray translation of CPU0's slot by CPU1
            world.Windows.Clear(0, 0);
            Assert.Null(world.Windows.Pte(0, 0));
            KmapWindows.LocalFlush(cpu0, a);
            Assert.Null(cpu0.Tlb.Lookup(X86Layout.Vpn(a)));
            Assert.Equal(world.HighPage(1), cpu0.Tlb.Lookup(X86Layout.Vpn(b)));   // the neighbouring slot (a − 4 KiB) keeps its entry
            Assert.Equal(world.HighPage(0), cpu1.Tlb.Lookup(X86Layout.Vpn(a)));   // no shootdown
        });
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        var world = OnCpu.World(window: 4);
        Assert.Throws<ArgumentNullException>(() => new KmapWindows(null!));
        Assert.Throws<ArgumentNullException>(() => world.Windows.Install(null!, 0, world.HighPage(0), true, "f", "s"));
        Assert.Throws<ArgumentNullException>(() => KmapWindows.LocalFlush(null!, 0xFFFFB000));
        Assert.Throws<ArgumentNullException>(() => KmapContext.Of(null!));
    }
}

/// <summary>KmapContext.Of reads the preempt-count predicates debug_kmap_atomic looks at (spec §2.3) off a CPU.</summary>
public sealed class KmapContextTests
{
    [Fact]
    public void Of_ReadsEachContextsPredicates_AndNamesIt()
    {
        var world = OnCpu.World(window: 4);
        var seen = new List<KmapContext>();
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            seen.Add(KmapContext.Of(cpu));
            var flags = cpu.LocalIrqSave();
            seen.Add(KmapContext.Of(cpu));
            cpu.LocalIrqRestore(flags);
            cpu.LocalBhDisable();                    // process code with BHs off counts as in_interrupt()
            seen.Add(KmapContext.Of(cpu));
            cpu.LocalBhEnable();
            cpu.RunSoftIrq("net-rx", c => seen.Add(KmapContext.Of(c)));
            cpu.RunNmi("perf", c => seen.Add(KmapContext.Of(c)));
        });
        Assert.Equal(
        [
            new KmapContext(InNmi: false, InIrq: false, InInterrupt: false, IrqsDisabled: false),
            new KmapContext(InNmi: false, InIrq: false, InInterrupt: false, IrqsDisabled: true),
            new KmapContext(InNmi: false, InIrq: false, InInterrupt: true, IrqsDisabled: false),
            new KmapContext(InNmi: false, InIrq: false, InInterrupt: true, IrqsDisabled: false),
            new KmapContext(InNmi: true, InIrq: true, InInterrupt: true, IrqsDisabled: true),
        ], seen);
        Assert.Equal(
            ["process context, IRQs on", "process context, IRQs off", "softirq/BH-disabled context, IRQs on", "softirq/BH-disabled context, IRQs on", "NMI context, IRQs off"],
            seen.Select(c => c.ToString()));
        Assert.Equal("hardirq context, IRQs off", new KmapContext(InNmi: false, InIrq: true, InInterrupt: true, IrqsDisabled: true).ToString());
    }
    [Fact]
    public void KmapPte_IsTheSlotsOwnPteWhenTheFixmapGrowsDown_AndTheMirrorPageWhenItGrowsUp()
    {
        var down = OnCpu.World(window: 4).Windows;
        for (var c = 0; c < 2; c++)
            for (var k = 0; k < 4; k++)
                Assert.Equal(down.Address(c, k), down.KmapPte(c, k));
        // Bottom up (xtensa before 1eb0616c2df5): kmap_pte − idx is idx pages below FIX_KMAP_BEGIN's page while the
        // slot's address is idx pages above it.
        var up = new KmapWindows(new KernelPageTables(new Machine(new MachineConfig { Cpus = 2 }),
            new AddressLayout { NrCpus = 2, KmapWindow = 4, Arch = KernelArch.Xtensa, FixmapGrowsUp = true }));
        var begin = up.Address(0, 0);
        Assert.Equal(begin, up.KmapPte(0, 0));
        Assert.Equal(begin + 5 * 0x1000u, up.Address(1, 1));   // idx 5
        Assert.Equal(begin - 5 * 0x1000u, up.KmapPte(1, 1));
    }
    [Fact]
    public void KmapPte_OnArm_LeavesFixKmapBeginsTableAtIdx255()
    {
        // ARM: FIXADDR_TOP 0xFFEFF000, FIX_KMAP_BEGIN 1 → 0xFFEFE000, entry 254 of the 2 MiB table at 0xFFE00000.
        var layout = new AddressLayout { NrCpus = 8, KmapWindow = 33, Arch = KernelArch.Arm, FixmapsBeforeKmap = 1 };
        var windows = new KmapWindows(new KernelPageTables(new Machine(new MachineConfig { Cpus = 8 }), layout));
        Assert.Equal(0xFFEFE000u, windows.Address(0, 0));
        Assert.Equal(0xFFE00000u, windows.KmapPte(7, 23));   // idx 254: the table's first entry, still the slot's own
        Assert.Equal(windows.Address(7, 23), windows.KmapPte(7, 23));
        Assert.Equal(KmapWindows.OutsideTable, windows.KmapPte(7, 24));   // idx 255
        // x86's 4 MiB table holds every window of 8 CPUs: the index never leaves it.
        var x86 = new KmapWindows(new KernelPageTables(new Machine(new MachineConfig { Cpus = 8 }), layout with { Arch = KernelArch.X86 }));
        Assert.Equal(x86.Address(7, 32), x86.KmapPte(7, 32));
    }
}
