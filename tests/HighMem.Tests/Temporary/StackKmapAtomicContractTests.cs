using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>
/// The contracts of the stack-based kmap_atomic (spec §2.5) beyond a single task's push and pop: interrupts nest on
/// top of the interrupted context's entries, the debug build's nestable-hardirq warning and its BUG for an unmap of
/// an address that is neither a kmap slot nor lowmem, and the constructor's refusals.
/// </summary>
public sealed class StackKmapAtomicContractTests
{
    private static StackKmapAtomic Kmap(HighMemModel world, StackAtomicConfig config) =>
        new(config, world.Windows, world.Interrupts, world.Pagefaults);

    /// <summary>
    /// __fix_to_virt(FIX_KMAP_BEGIN + k + W·c) = FIXADDR_TOP − ((4 + k + W·c) &lt;&lt; PAGE_SHIFT) on the default layout
    /// (FIXADDR_TOP 0xFFFFF000, four permanent fixmaps before FIX_KMAP_BEGIN): spec §0 and §2.1, by hand.
    /// </summary>
    private static uint Slot(int window, int cpu, int k) => 0xFFFFF000u - ((uint)(4 + k + window * cpu) << 12);

    /// <summary>A world whose pending device IRQs fire at the first interrupt window with IRQs on.</summary>
    private static HighMemModel IrqWorld(int window) =>
        HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = 2, KmapWindow = window }, IrqFireChoices = 1 });

    [Fact]
    public void AnNmi_NestsOnTopOfTheInterruptedMapping_AndPopsItsOwnBeforeReturning()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        OnCpu.Run(world, 1, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var outer = kmap.KmapAtomic(world.HighPage(0));
            Assert.Equal(Slot(4, 1, 0), outer);
            cpu.RunNmi("perf", _ =>
            {
                var inner = kmap.KmapAtomic(world.HighPage(1));
                Assert.Equal(Slot(4, 1, 1), inner);                 // slot 1 of CPU1: on top of the process's slot 0
                Assert.Equal(2, kmap.Depth(1));
                Assert.Equal(world.HighPage(1), world.Oracle.Translate(cpu, inner));
                kmap.KunmapAtomic(inner);
                Assert.Equal(1, kmap.Depth(1));
                Assert.Null(world.Windows.Pte(1, 1));
                Assert.Null(cpu.Tlb.Lookup(X86Layout.Vpn(inner)));   // cleared and flushed on this CPU
            });
            Assert.Equal(world.HighPage(0), world.Windows.Pte(1, 0));   // the interrupted mapping is untouched
            Assert.Equal(world.HighPage(0), world.Oracle.Translate(cpu, outer));
            Assert.Equal(0, kmap.Depth(0));                              // CPU0's stack is its own
            kmap.KunmapAtomic(outer);
            Assert.Equal(0, kmap.Depth(1));
            Assert.Equal(0, cpu.PreemptCount);
            Assert.False(world.Pagefaults.Disabled);
        });
    }

    [Fact]
    public void AHardirqWithIrqsOff_MayNestAKmap_ButOneThatReenabledIrqsIsWarnedAbout()
    {
        var world = IrqWorld(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        uint inIrq = 0;
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var outer = kmap.KmapAtomic(world.HighPage(0));
            cpu.RaiseIrq(new IrqLine("disk", c =>
            {
                inIrq = kmap.KmapAtomic(world.HighPage(1));
                kmap.KunmapAtomic(inIrq);
            }));
            cpu.InterruptWindow();   // IRQs on, so the pending IRQ fires here, in hardirq context with IRQs off
            Assert.Equal(Slot(4, 0, 1), inIrq);
            Assert.Equal(1, kmap.Depth(0));
            kmap.KunmapAtomic(outer);
        });

        var nested = IrqWorld(window: 4);
        var checkedKmap = Kmap(nested, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(nested, 1, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            cpu.RaiseIrq(new IrqLine("nic", c =>
            {
                c.LocalIrqEnable();   // a handler that lets IRQs nest: its kmaps have no depth bound
                checkedKmap.KmapAtomic(nested.HighPage(0));
            }));
            cpu.InterruptWindow();
        }));
        Assert.Equal("AssertionFailure: WARNING: kmap_atomic_idx_push: nestable hardirq kmap on CPU1", e.Message);
    }

    [Fact]
    public void WithoutDebugHighmem_TheNestableHardirqKmapIsNotChecked()
    {
        var world = IrqWorld(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4 });
        uint va = 0;
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            cpu.RaiseIrq(new IrqLine("nic", c =>
            {
                c.LocalIrqEnable();
                va = kmap.KmapAtomic(world.HighPage(0));
                kmap.KunmapAtomic(va);
                c.LocalIrqDisable();
            }));
            cpu.InterruptWindow();
        });
        Assert.Equal(Slot(4, 0, 0), va);
    }

    /// <summary>
    /// __kunmap_atomic of an address outside the kmap window: lowmem is fine (kmap_atomic returned it for a lowmem
    /// page), anything else is a BUG in the debug build and silently ignored otherwise; the atomic section ends
    /// either way (so the slot an ignored unmap should have cleared stays mapped, which the task's exit check reports).
    /// </summary>
    [Fact]
    public void UnmapOfAnAddressOutsideTheWindow_IsABugInDebugUnlessItIsLowmem()
    {
        var world = OnCpu.World(window: 4);
        var vmalloc = world.Layout.VmallocStart;   // neither a kmap slot nor lowmem
        var debug = Kmap(world, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var low = debug.KmapAtomic(7);
            debug.KunmapAtomic(low);
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);
            Assert.False(world.Pagefaults.Disabled);
            debug.KmapAtomic(world.HighPage(0));
            debug.KunmapAtomic(vmalloc);
        }));
        Assert.Equal($"kernel BUG at kunmap_atomic: 0x{vmalloc:x8} is neither a kmap slot nor lowmem", e.Message);

        var plain = OnCpu.World(window: 4);
        var kmap = Kmap(plain, new StackAtomicConfig { KmTypeNr = 4 });
        var leak = Assert.Throws<SimAssertionException>(() => OnCpu.Run(plain, 0, () =>
        {
            kmap.KmapAtomic(plain.HighPage(0));
            kmap.KunmapAtomic(plain.Layout.VmallocStart);   // ignored: nothing popped, nothing cleared
            Assert.Equal(1, kmap.Depth(0));
            Assert.Equal(plain.HighPage(0), plain.Windows.Pte(0, 0));
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);   // but the atomic section it closes is over
            Assert.False(plain.Pagefaults.Disabled);
        }));
        Assert.Equal($"AssertionFailure: at exit of test/0 on CPU0: CPU0's kmap_atomic stack is still 1 deep (slot 0 maps pfn {plain.HighPage(0)}): " +
                     "a kmap_atomic without its kunmap_atomic", leak.Message);
    }

    /// <summary>
    /// kmap_atomic takes interrupts between the push and the PTE write, kunmap_atomic between the clear and the pop
    /// (the order 20273941f212 fixed): a handler nests on the slot above either way, and with the pop done first
    /// (H1) it finds the departing slot still mapped.
    /// </summary>
    [Fact]
    public void InterruptsLandAfterThePush_AndAfterTheClearBeforeThePop()
    {
        var world = IrqWorld(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4 });
        var seen = new List<(int Depth, int? Slot0, uint Va)>();
        void Handler(Cpu c)
        {
            var depth = kmap.Depth(0);
            var slot0 = world.Windows.Pte(0, 0);
            var va = kmap.KmapAtomic(world.HighPage(9));
            kmap.KunmapAtomic(va);
            seen.Add((depth, slot0, va));
        }
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            cpu.RaiseIrq(new IrqLine("disk", Handler));
            var outer = kmap.KmapAtomic(world.HighPage(0));
            Assert.Equal([(1, null, Slot(4, 0, 1))], seen);                  // pushed, not yet installed
            cpu.RaiseIrq(new IrqLine("disk", Handler));
            kmap.KunmapAtomic(outer);
            Assert.Equal((1, null, Slot(4, 0, 1)), seen[1]);                  // cleared, not yet popped
            Assert.Equal(0, kmap.Depth(0));
        });

        var h1 = IrqWorld(window: 4);
        var broken = Kmap(h1, new StackAtomicConfig { KmTypeNr = 4, Variant = AtomicVariants.PopBeforeClear });
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(h1, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var outer = broken.KmapAtomic(h1.HighPage(0));
            cpu.RaiseIrq(new IrqLine("disk", _ => broken.KmapAtomic(h1.HighPage(9))));
            broken.KunmapAtomic(outer);
        }));
        Assert.StartsWith("kernel BUG at kmap_atomic: BUG_ON(!pte_none(*(kmap_pte-0))): stack slot 0 on CPU0", e.Message);
    }

    /// <summary>
    /// A3 (spec §5 item 15) is checked at the end of every map and unmap: a PTE this CPU installed in a slot at or above
    /// its stack top — here a stray write into slot 2, which CPU0's own kmap_atomic used before — is reported.
    /// </summary>
    [Fact]
    public void APteLeftAboveTheStackTop_ViolatesA3_AtTheNextMapAndTheNextUnmap()
    {
        foreach (var unmap in new[] { false, true })
        {
            var world = OnCpu.World(window: 4);
            var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4 });
            var stray = world.HighPage(3);
            // The failing call ends the task (natively the failure is rethrown by the join), so the section it
            // leaves half done never reaches the task's exit check.
            var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
            {
                var cpu = Machine.CurrentCpuOrThrow;
                var a = kmap.KmapAtomic(world.HighPage(0));
                var b = kmap.KmapAtomic(world.HighPage(1));
                var c = kmap.KmapAtomic(world.HighPage(2));
                kmap.KunmapAtomic(c);
                kmap.KunmapAtomic(b);
                world.Windows.Install(cpu, 2, stray, bugIfMapped: false, "test", "stray");
                if (unmap) kmap.KunmapAtomic(a);
                else kmap.KmapAtomic(world.HighPage(4));   // slot 1: free, so no BUG_ON first
            }));
            var top = unmap ? 0 : 2;
            Assert.Equal($"AssertionFailure: invariant A3 violated: CPU0's slot 2 is at or above the stack top {top} but still maps pfn {stray}", e.Message);
        }
    }

    [Fact]
    public void Constructor_RefusesMissingPartsAndAWindowThatIsNotKmTypeNrWide()
    {
        var world = OnCpu.World(window: 4);
        var config = new StackAtomicConfig { KmTypeNr = 4 };
        Assert.Equal("config", Assert.Throws<ArgumentNullException>(() => new StackKmapAtomic(null!, world.Windows, world.Interrupts, world.Pagefaults)).ParamName);
        Assert.Equal("windows", Assert.Throws<ArgumentNullException>(() => new StackKmapAtomic(config, null!, world.Interrupts, world.Pagefaults)).ParamName);
        Assert.Equal("interrupts", Assert.Throws<ArgumentNullException>(() => new StackKmapAtomic(config, world.Windows, null!, world.Pagefaults)).ParamName);
        Assert.Equal("pagefaults", Assert.Throws<ArgumentNullException>(() => new StackKmapAtomic(config, world.Windows, world.Interrupts, null!)).ParamName);
        var e = Assert.Throws<ArgumentException>(() => Kmap(world, new StackAtomicConfig { KmTypeNr = 3 }));
        Assert.Equal("the layout's window (4) must equal KM_TYPE_NR (3)", e.Message);
    }
}
