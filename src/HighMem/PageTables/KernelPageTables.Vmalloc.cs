using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.PageTables;

public sealed partial class KernelPageTables
{
    private readonly int[] _vmalloc;   // pfn + 1 per page of the arena; 0 = pte_none

    /// <summary>Pages of the modelled vmalloc arena, from VMALLOC_START.</summary>
    public int VmallocPages => _vmalloc.Length;

    private bool IsVmallocPte(uint va) => va >= Layout.VmallocStart && VmallocIndex(va) < _vmalloc.Length;

    // Stryker disable once Bitwise : the operand is a uint, so >> and >>> are the same logical shift
    private int VmallocIndex(uint va) => (int)((va - Layout.VmallocStart) >> X86Layout.PageShift);

    private void WriteVmallocPte(uint va, int raw, string what)
    {
        if (Sim.IsControlled) Sim.SchedulingPoint(what);
        Volatile.Write(ref _vmalloc[VmallocIndex(va)], raw);
    }

    // The vmalloc range's walk: [VMALLOC_START, + the arena's pages).
    private int? WalkVmalloc(long vpn)
    {
        var i = vpn - X86Layout.Vpn(Layout.VmallocStart);
        return i >= 0 && i < _vmalloc.Length ? Decode(Volatile.Read(ref _vmalloc[i])) : null;   // mutation-report: misuse[Logical; Conditional (true)]: Machine.WalkPageTables walks a range's own pages only; a direct caller may ask for others
    }
}
