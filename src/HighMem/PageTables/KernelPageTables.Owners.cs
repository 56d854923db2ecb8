using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.PageTables;

/// <summary>
/// Says whether a live mapping of one part of the model accounts for the kernel PTE of <paramref name="va"/> mapping
/// frame <paramref name="pfn"/> (a peek).
/// </summary>
/// <param name="va">The PTE's virtual address.</param>
/// <param name="pfn">The frame the PTE maps.</param>
public delegate bool PteOwner(uint va, int pfn);

public sealed partial class KernelPageTables
{
    private readonly List<PteOwner> _owners = [];

    /// <summary>
    /// Registers a part of the model that writes these tables (pkmap's slots, a kmap flavour's window slots, vmlist's
    /// areas) as the owner of the PTEs its live mappings account for. Once every task has exited each present PTE
    /// must have an owner; one that has none is stray. Register before starting tasks.
    /// </summary>
    public void AddPteOwner(PteOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owners.Add(owner);
    }

    // mutation-report: checker: the present PTEs, read only by the quiescent stray-PTE check below
    /// <summary>Every present PTE, as (virtual address, frame, range name): the pkmap window, the fixmap, the vmalloc arena (a peek).</summary>
    public IEnumerable<(uint Va, int Pfn, string Range)> PresentPtes()
    {
        for (var i = 0; i < _pkmap.Length; i++)
            if (Frame(_pkmap[i].Peek) is { } pfn) yield return (Layout.PkmapAddr(i), pfn, "pkmap");
        for (var page = 0; page < _fixmap.Length; page++)
            if (Decode(Volatile.Read(ref _fixmap[page])) is { } pfn) yield return (FixmapPageAddress(page), pfn, "fixmap");
        for (var p = 0; p < _vmalloc.Length; p++)
            if (Decode(Volatile.Read(ref _vmalloc[p])) is { } pfn) yield return (Layout.VmallocStart + (uint)p * X86Layout.PageSize, pfn, "vmalloc");
    }

    /// <summary>
    /// The quiescence check of the tables: the first present PTE no registered owner accounts for, named, or null.
    /// Such a PTE is what an unmap that forgot its <c>pte_clear</c> leaves behind, or a map that wrote the wrong
    /// address; the next map of that address would find it in its way (or a stale read would use it).
    /// </summary>
    public string? StrayPte()
    {
        foreach (var (va, pfn, range) in PresentPtes())
        {
            if (_owners.Any(owns => owns(va, pfn))) continue;
            var where = range != "fixmap" ? "" : FixmapIndex(va) is { } x ? $" (fixmap index {x})" : " (a boot-time fixmap)";
            return $"at quiescence the {range} PTE of 0x{va:x8}{where} maps pfn 0x{pfn:x} but no live mapping owns it " +
                   "(a stray PTE: an unmap that left it behind, or a map that wrote the wrong address)";
        }
        return null;
    }
}
