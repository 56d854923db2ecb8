using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Sequential map/unmap of the typed kmap_atomic (spec §2.2), both flavours.</summary>
public sealed class TypedKmapAtomicTests
{
    private static TypedKmapAtomic Kmap(HighMemModel world, TypedAtomicConfig config) =>
        new(config, world.Windows, world.Interrupts, world.Pagefaults);

    [Theory]
    [InlineData(AtomicClearMode.Eager)]
    [InlineData(AtomicClearMode.Lazy)]
    public void Map_UsesTheCallersCpuSlotOfTheType_AndRaisesThePreemptCount(AtomicClearMode mode)
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig { Mode = mode });
        var page = world.HighPage(3);
        OnCpu.Run(world, 1, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = kmap.KmapAtomic(page, KmType.KM_USER1);
            Assert.Equal(world.Layout.KmapAddress(1, (int)KmType.KM_USER1), va);
            Assert.Equal(page, world.Windows.Pte(1, (int)KmType.KM_USER1));
            Assert.Equal(1, cpu.PreemptCount);
            Assert.True(world.Pagefaults.Disabled);
            Assert.Equal(page, world.Oracle.Translate(cpu, va));
            kmap.KunmapAtomic(va, KmType.KM_USER1);
            Assert.Equal(0, cpu.PreemptCount);
            Assert.False(world.Pagefaults.Disabled);
            // Eager clears the slot at unmap; lazy (non-debug) leaves the PTE for the next user to overwrite.
            Assert.Equal(mode == AtomicClearMode.Eager ? null : page, world.Windows.Pte(1, (int)KmType.KM_USER1));
        });
    }

    [Fact]
    public void LowmemPage_ReturnsItsDirectMapAddress_WithoutTouchingTheWindow()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig());
        OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(42, KmType.KM_USER0);
            Assert.Equal(world.Layout.LowmemAddress(42), va);
            Assert.Null(world.Windows.Pte(0, (int)KmType.KM_USER0));
            Assert.Equal(1, Machine.CurrentCpuOrThrow.PreemptCount);
            kmap.KunmapAtomic(va, KmType.KM_USER0);
            Assert.Equal(0, Machine.CurrentCpuOrThrow.PreemptCount);
        });
    }

    [Fact]
    public void LazyMap_OverwritesTheLeftoverPte_AndFlushesTheStaleTranslation()
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, new TypedAtomicConfig { Mode = AtomicClearMode.Lazy, KmTypeNr = KmTypes.Classic });
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            Assert.Equal(world.HighPage(0), world.Oracle.Translate(cpu, va));   // fills the TLB
            kmap.KunmapAtomic(va, KmType.KM_USER0);
            var again = kmap.KmapAtomic(world.HighPage(1), KmType.KM_USER0);
            Assert.Equal(va, again);
            Assert.Equal(world.HighPage(1), world.Oracle.Translate(cpu, again));
            kmap.KunmapAtomic(again, KmType.KM_USER0);
        });
    }

    [Fact]
    public void EagerUnmapWithTheWrongType_LeavesTheSlot_AndTheNextMapHitsBugOn()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig());
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            try
            {
                kmap.KunmapAtomic(va, KmType.KM_USER1);
            }
            catch (SimAssertionException)
            {
                // A1 notices the mismatched unmap first; the kernel itself stays silent and carries on.
            }
            Assert.Equal(world.HighPage(0), world.Windows.Pte(0, (int)KmType.KM_USER0));
            kmap.KmapAtomic(world.HighPage(1), KmType.KM_USER0);
        }));
        Assert.Contains("BUG_ON(!pte_none(*(kmap_pte-3)))", e.Message);
        Assert.Contains("still maps pfn " + world.HighPage(0), e.Message);
    }

    [Fact]
    public void DebugHighmemLazyUnmapOfAnotherSlot_IsABug()
    {
        var world = OnCpu.World(KmTypes.Classic);
        var kmap = Kmap(world, new TypedAtomicConfig { Mode = AtomicClearMode.Lazy, DebugHighmem = true, KmTypeNr = KmTypes.Classic });
        var e = Assert.Throws<KernelBugException>(() => OnCpu.Run(world, 0, () =>
        {
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_USER0);
            kmap.KunmapAtomic(va, KmType.KM_USER0);
            kmap.KunmapAtomic(world.Layout.KmapAddress(0, (int)KmType.KM_PTE0), KmType.KM_USER0);
        }));
        Assert.Contains("BUG_ON(vaddr != __fix_to_virt(FIX_KMAP_BEGIN+idx))", e.Message);
    }

    [Fact]
    public void DebugKmapAtomic_WarnsForAnIrqTypeWithIrqsOn_ButNotWithIrqsOff()
    {
        var world = OnCpu.World(KmTypes.WithNmi);
        var kmap = Kmap(world, new TypedAtomicConfig { DebugKmapAtomic = true });
        OnCpu.Run(world, 0, () =>
        {
            var cpu = Machine.CurrentCpuOrThrow;
            var flags = cpu.LocalIrqSave();
            var va = kmap.KmapAtomic(world.HighPage(0), KmType.KM_IRQ0);
            kmap.KunmapAtomic(va, KmType.KM_IRQ0);
            cpu.LocalIrqRestore(flags);
        });
        var again = OnCpu.World(KmTypes.WithNmi);
        var checkedKmap = Kmap(again, new TypedAtomicConfig { DebugKmapAtomic = true });
        var e = Assert.Throws<SimAssertionException>(() =>
            OnCpu.Run(again, 0, () => checkedKmap.KmapAtomic(again.HighPage(0), KmType.KM_IRQ0)));
        Assert.Contains("WARNING: debug_kmap_atomic: IRQ type KM_IRQ0 used with IRQs enabled", e.Message);
    }
}
