using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.PageTables;

public sealed partial class KernelPageTables
{
    // pkmap_page_table: page frame per slot, 0 = pte_none. Engine atomics: every access by the pkmap code is a
    // scheduling point and a happens-before edge (the MMU reads them without kmap_lock); the walk peeks.
    private readonly SimAtomic[] _pkmap;

    /// <summary>
    /// ptep_get(&amp;pkmap_page_table[PKMAP_NR(<paramref name="va"/>)]): the frame the pkmap PTE maps, or null for
    /// pte_none — a load by the pkmap code (a scheduling point, unlike <see cref="Pte"/>).
    /// </summary>
    public int? PtepGet(uint va) => Frame(PkmapPte(va).Load());

    private static SimAtomic[] CreatePkmapPageTable(AddressLayout layout) =>
        Enumerable.Range(0, layout.LastPkmap).Select(i => new SimAtomic(None, $"pkmap_pte[{i}]")).ToArray();

    private bool IsPkmapPte(uint va) => _pkmap.Length > 0 && Layout.IsPkmap(va);

    private SimAtomic PkmapPte(uint va)
    {
        if (!IsPkmapPte(va)) throw new ArgumentOutOfRangeException(nameof(va), $"0x{va:x8} is outside the pkmap window");
        return _pkmap[Layout.PkmapNr(va)];
    }

    // The pkmap range's walk: [PKMAP_BASE, PKMAP_ADDR(LAST_PKMAP)), the upper bound strict (H12).
    private int? WalkPkmap(long vpn)
    {
        var i = vpn - Layout.PkmapBaseVpn;
        if (i < 0 || i >= _pkmap.Length) return null;   // mutation-report: misuse[Logical; Statement]: Machine.WalkPageTables walks a range's own pages only; a direct caller may ask for others
        return Frame(_pkmap[i].Peek);
    }

    // A pkmap PTE holds the frame itself (highmem frames are never 0).
    private static int? Frame(int pfn) => pfn == None ? null : pfn;
}
