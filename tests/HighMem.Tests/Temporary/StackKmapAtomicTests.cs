using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Scenarios.Temporary;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Sequential push/peek/pop of the stack-based kmap_atomic (spec §2.5).</summary>
public sealed class StackKmapAtomicTests
{
    private static StackKmapAtomic Kmap(HighMemModel world, StackAtomicConfig config) =>
        new(config, world.Windows, world.Interrupts, world.Pagefaults);

    [Fact]
    public void NestedMaps_PushSlotsInOrder_AndLifoUnmapsPopThem()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        OnCpu.Run(world, 1, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var a = kmap.KmapAtomic(world.HighPage(0));
            var b = kmap.KmapAtomic(world.HighPage(1));
            Assert.Equal(world.Layout.KmapAddress(1, 0), a);
            Assert.Equal(world.Layout.KmapAddress(1, 1), b);
            Assert.Equal(2, kmap.Depth(1));
            Assert.Equal(2, cpu.PreemptCount);
            kmap.KunmapAtomic(b);
            Assert.Null(world.Windows.Pte(1, 1));
            Assert.Equal(world.HighPage(0), world.Windows.Pte(1, 0));
            kmap.KunmapAtomic(a);
            Assert.Equal(0, kmap.Depth(1));
            Assert.Equal(0, cpu.PreemptCount);
            Assert.Null(world.Windows.Pte(1, 0));
        });
    }

    [Fact]
    public void LowmemPage_DoesNotPush()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4 });
        OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(7);
            Assert.Equal(world.Layout.LowmemAddress(7), va);
            Assert.Equal(0, kmap.Depth(0));
            kmap.KunmapAtomic(va);
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);
        });
    }

    [Fact]
    public void DebugDepthLimit_AcceptsKmTypeNrMappings_AndBugsOnTheNext()
    {
        var world = OnCpu.World(window: 3);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 3, DebugHighmem = true });
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            for (var i = 0; i < 3; i++) kmap.KmapAtomic(world.HighPage(i));
            Assert.Equal(3, kmap.Depth(0));
            kmap.KmapAtomic(world.HighPage(3));
        }));
        Assert.Contains("BUG_ON(idx >= KM_TYPE_NR): CPU0 pushes index 3 with KM_TYPE_NR = 3", e.Message);
    }

    [Fact]
    public void OffByOneDepthCheck_LetsIndexKmTypeNrIntoTheNextCpusWindow()
    {
        var world = OnCpu.World(window: 3);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 3, DebugHighmem = true, Variant = AtomicVariants.DepthOffByOne });
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(world, 0, () =>
        {
            for (var i = 0; i < 4; i++) kmap.KmapAtomic(world.HighPage(i));
        }));
        Assert.Contains("invariant 17 violated: stack slot 3 on CPU0", e.Message);
        Assert.Contains("slot 0 of CPU1's window", e.Message);
    }

    [Fact]
    public void OutOfOrderUnmap_ClearsTheTopSlot_AndWarnsInDebug()
    {
        var plain = OnCpu.World(window: 4);
        var kmap = Kmap(plain, new StackAtomicConfig { KmTypeNr = 4 });
        OnCpu.Run(plain, 0, () =>
        {
            var a = kmap.KmapAtomic(plain.HighPage(0));
            var b = kmap.KmapAtomic(plain.HighPage(1));
            kmap.KunmapAtomic(a);                                   // A is not the top: B's slot is the one cleared
            Assert.Null(plain.Windows.Pte(0, 1));
            Assert.Equal(plain.HighPage(0), plain.Windows.Pte(0, 0));
            Assert.Null(plain.Oracle.Translate(Machine.CurrentCpuOrThrow, b));
            kmap.KunmapAtomic(b);
            Assert.Null(plain.Windows.Pte(0, 0));
        });
        var debug = OnCpu.World(window: 4);
        var checkedKmap = Kmap(debug, new StackAtomicConfig { KmTypeNr = 4, DebugHighmem = true });
        var e = Assert.Throws<SimAssertionException>(() => OnCpu.Run(debug, 0, () =>
        {
            var a = checkedKmap.KmapAtomic(debug.HighPage(0));
            checkedKmap.KmapAtomic(debug.HighPage(1));
            checkedKmap.KunmapAtomic(a);
        }));
        Assert.Contains("WARNING: kunmap_atomic: 0xffffb000 is not the top of CPU0's stack (slot 1", e.Message);
    }

    [Fact]
    public void UnmapWithAnEmptyStack_IsABug()
    {
        var world = OnCpu.World(window: 4);
        var kmap = Kmap(world, new StackAtomicConfig { KmTypeNr = 4 });
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(world.HighPage(0));
            kmap.KunmapAtomic(va);
            kmap.KunmapAtomic(va);
        }));
        Assert.Contains("BUG_ON(idx < 0)", e.Message);
    }
}
