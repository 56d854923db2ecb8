using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.PageTables;

public sealed partial class KernelPageTables
{
    private readonly int[] _fixmap;    // pfn + 1 per permanent fixmap index; 0 = pte_none

    // Compared page-aligned: any byte of a fixmap page has that page's PTE, the top page (index 0) included.
    private bool IsFixmapPte(uint va)
    {
        var a = X86Layout.PageAlign(va);
        return a >= AddressLayout.FixToVirt(_fixmap.Length - 1) && a <= X86Layout.FixaddrTop;
    }

    private void WriteFixmapPte(uint va, int raw, string what)
    {
        if (Sim.IsControlled) Sim.SchedulingPoint(what);
        Volatile.Write(ref _fixmap[AddressLayout.VirtToFix(va)], raw);
    }

    // The fixmap range's walk: __fix_to_virt(end of the permanent fixmaps − 1) .. FIXADDR_TOP.
    private int? WalkFixmap(long vpn)
    {
        var va = (uint)(vpn << X86Layout.PageShift);
        return IsFixmapPte(va) ? Decode(Volatile.Read(ref _fixmap[AddressLayout.VirtToFix(va)])) : null;
    }
}
