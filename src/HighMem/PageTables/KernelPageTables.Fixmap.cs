using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.PageTables;

public sealed partial class KernelPageTables
{
    // pfn + 1 per fixmap page, permanent and boot-time, counted down from FIXADDR_TOP (page 0) — the order of the
    // PTEs in the page table, whatever an architecture's fixmap numbering; 0 = pte_none. The boot-time fixmaps are
    // unused after boot, but their PTEs are there: a kmap PTE computed wrongly can land on one.
    private readonly int[] _fixmap;

    // The lowest fixmap page: FIXADDR_BOOT_START + PAGE_SIZE.
    private uint FixmapLow => Layout.FixaddrTop - ((uint)(_fixmap.Length - 1) << X86Layout.PageShift);

    // Compared page-aligned: any byte of a fixmap page has that page's PTE, the top page (page 0) included.
    private bool IsFixmapPte(uint va)
    {
        var a = X86Layout.PageAlign(va);
        return a >= FixmapLow && a <= Layout.FixaddrTop;   // mutation-report: equivalent[Equality -> a < Layout.FixaddrTop]: the top page is fix[0], FIX_HOLE, which nothing maps or reads
    }

    // Stryker disable once Bitwise : the operand is a uint, so >> and >>> are the same logical shift
    private int FixmapPage(uint va) => (int)((Layout.FixaddrTop - X86Layout.PageAlign(va)) >> X86Layout.PageShift);

    private uint FixmapPageAddress(int page) => Layout.FixaddrTop - ((uint)page << X86Layout.PageShift);

    // The permanent fixmap index the architecture gives the page (null for a boot-time fixmap).
    private int? FixmapIndex(uint va) => FixmapPage(va) < Layout.EndOfPermanentFixedAddresses ? Layout.VirtToFix(va) : null;   // mutation-report: note-text: read only for trace notes (FixmapName) and the stray-PTE message

    // The page as the trace names it: fix[x], or the boot-time fixmap page it is.
    private string FixmapName(uint va) => FixmapIndex(va) is { } x ? $"fix[{x}]" : $"boot-time fixmap 0x{X86Layout.PageAlign(va):x8}";

    private void WriteFixmapPte(uint va, int raw, string what)
    {
        if (Sim.IsControlled) Sim.SchedulingPoint(what);
        Volatile.Write(ref _fixmap[FixmapPage(va)], raw);
    }

    private int? ReadFixmapPte(uint va) => Decode(Volatile.Read(ref _fixmap[FixmapPage(va)]));

    // The fixmap range's walk: FIXADDR_BOOT_START + PAGE_SIZE .. FIXADDR_TOP.
    private int? WalkFixmap(long vpn)
    {
        var va = (uint)(vpn << X86Layout.PageShift);
        return IsFixmapPte(va) ? ReadFixmapPte(va) : null;   // mutation-report: misuse[Conditional (true)]: Machine.WalkPageTables walks a range's own pages only; a direct caller may ask for others
    }
}
