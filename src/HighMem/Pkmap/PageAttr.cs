using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Pkmap;

/// <summary>The memory type PAT gives a page (the cache attribute of every mapping of it).</summary>
public enum MemoryType
{
    /// <summary>_PAGE_CACHE_MODE_WB: kmap's kmap_prot (PAGE_KERNEL).</summary>
    WriteBack,

    /// <summary>_PAGE_CACHE_MODE_UC: e.g. a graphics buffer handed to a device.</summary>
    Uncached,
}

/// <summary>
/// x86's change_page_attr_set_clr() as far as highmem pages go (set_pages_array_uc/set_pages_array_wb, which take
/// highmem pages, arch/x86/mm/pat/set_memory.c): it first calls kmap_flush_unused() — "Must avoid aliasing mappings in
/// the highmem code", added by 5843d9a4d0ba — because a highmem page kunmapped to nobody keeps its pkmap PTE, mapped
/// write-back, until the next wrap; then the page's memory type changes. A mapping of one page with two memory types
/// is what PAT forbids (the caches may write back stale lines over what the device wrote): after the change, a pkmap
/// PTE still mapping a page made uncached is reported as a conflicting alias.
/// </summary>
public sealed class PageAttr(Pkmap pkmap)
{
    private readonly Pkmap _pkmap = pkmap ?? throw new ArgumentNullException(nameof(pkmap));
    private readonly int[] _types = new int[pkmap.Memory.Pages.Count];   // by page index; only the page's owner changes it

    /// <summary>The page's memory type.</summary>
    public MemoryType TypeOf(PhysicalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return (MemoryType)Volatile.Read(ref _types[page.Index]);
    }

    /// <summary>set_pages_array_uc(&amp;page, 1): the page becomes uncached.</summary>
    public void SetPagesArrayUc(PhysicalPage page) => ChangePageAttr(page, MemoryType.Uncached, "set_pages_array_uc");

    /// <summary>set_pages_array_wb(&amp;page, 1): the page becomes write-back again.</summary>
    public void SetPagesArrayWb(PhysicalPage page) => ChangePageAttr(page, MemoryType.WriteBack, "set_pages_array_wb");

    private void ChangePageAttr(PhysicalPage page, MemoryType type, string function)
    {
        ArgumentNullException.ThrowIfNull(page);
        // Must avoid aliasing mappings in the highmem code.
        if (_pkmap.Variant != NoKmapFlushUnused) _pkmap.KmapFlushUnused();
        if (Sim.IsControlled) Sim.Note($"{function}({page})");
        Volatile.Write(ref _types[page.Index], (int)type);
        if (type == MemoryType.WriteBack) return;
        for (var i = 0; i < _pkmap.Layout.LastPkmap; i++)
            if (_pkmap.Pte(i) == page.Pfn)
                Sim.Fail(BugKind.AssertionFailure,
                    $"PAT: conflicting memory types for {page}: {function} makes it uncached while pkmap slot {i} " +
                    $"(0x{_pkmap.Layout.PkmapAddr(i):x8}, pkmap_count {_pkmap.PkmapCount(i)}) still maps it write-back");
    }
}
