using HighMemConcurrency.HighMem.Fixmap;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.AtomicVariants;

namespace HighMemConcurrency.HighMem.Atomic;

/// <summary>
/// ARM's kmap_atomic(page, type) / kunmap_atomic(va, type) of 2009 (arch/arm/mm/highmem.c, without DEBUG_HIGHMEM:
/// the fixmap PTE is left in place at unmap) on a VIVT data cache: a page that still has a pkmap mapping is used
/// through it, pinned with kmap_high_get(), because a new fixmap alias would miss the dirty lines the pkmap alias
/// holds; unmapping a fixmap alias flushes its cache lines first, and unmapping a pinned pkmap alias drops the pin
/// with kunmap_high().
/// </summary>
public sealed class ArmKmapAtomic
{
    private readonly KmapWindows _windows;
    private readonly Pkmap.Pkmap _pkmap;
    private readonly PagefaultState _pagefaults;
    private readonly Variants.BugVariant? _variant;

    /// <summary>
    /// Creates the primitive over <paramref name="windows"/> and <paramref name="pkmap"/>, which must have
    /// ARCH_NEEDS_KMAP_HIGH_GET; <paramref name="variant"/> is the run's bug variant, or null.
    /// </summary>
    public ArmKmapAtomic(KmapWindows windows, Pkmap.Pkmap pkmap, PagefaultState pagefaults, Variants.BugVariant? variant)
    {
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _pkmap = pkmap ?? throw new ArgumentNullException(nameof(pkmap));
        _pagefaults = pagefaults ?? throw new ArgumentNullException(nameof(pagefaults));
        if (!pkmap.Options.ArchNeedsKmapHighGet) throw new ArgumentException("ARM's kmap_atomic needs kmap_high_get (ARCH_NEEDS_KMAP_HIGH_GET)", nameof(pkmap));
        _variant = variant;
        // Without DEBUG_HIGHMEM a fixmap slot keeps its last PTE until the next kmap_atomic of its type overwrites it.
        windows.Tables.AddPteOwner((va, _) => windows.Layout.IsKmapWindow(va));
    }

    /// <summary>kmap_atomic(page, type).</summary>
    public uint KmapAtomic(PhysicalPage page, KmType type)
    {
        ArgumentNullException.ThrowIfNull(page);
        var cpu = Machine.CurrentCpuOrThrow;
        _pagefaults.Disable();
        cpu.PreemptDisable();
        // The 2009 fix: reuse the page's pkmap mapping, so the dirty lines cached under it stay the ones used.
        if (_variant != KmapAtomicIgnoresPkmap && _pkmap.KmapHighGet(page) is var kmap and not 0)
        {
            if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} kmap_atomic({page}, {type}) = 0x{kmap:x8}, its pkmap mapping (kmap_high_get)");
            return kmap;
        }
        var va = _windows.Install(cpu, (int)type, page.Pfn, bugIfMapped: false, "kmap_atomic", $"{type}");
        KmapWindows.LocalFlush(cpu, va);   // local_flush_tlb_kernel_page
        cpu.Machine.Counters.AddInContext("kmap_atomic", cpu.Context);
        if (Sim.IsControlled) Sim.Note($"CPU{cpu.Id} kmap_atomic({page}, {type}) = 0x{va:x8}");
        return va;
    }

    /// <summary>kunmap_atomic(va, type).</summary>
    public void KunmapAtomic(uint va, KmType type)
    {
        var cpu = Machine.CurrentCpuOrThrow;
        var layout = _windows.Layout;
        if (va >= layout.FixaddrStart)
            _pkmap.Oracle.FlushDcacheArea(cpu, va);   // __cpuc_flush_dcache_page: the alias's lines go before its slot is reused
        else if (layout.IsPkmap(va))
            // This address was obtained through kmap_high_get(): drop that pin.
            _pkmap.KunmapHigh(_pkmap.Memory.PfnToPage(_pkmap.Tables.Pte(va) ?? throw new KernelBugException($"kunmap_atomic: the pkmap PTE of 0x{va:x8} is empty")));
        _pagefaults.Enable();
        cpu.PreemptEnable();
    }
}
