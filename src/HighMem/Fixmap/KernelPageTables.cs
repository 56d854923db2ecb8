using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Fixmap;

/// <summary>
/// The part of init_mm's page tables the temporary mappings use: the permanent fixmap PTEs (which hold every CPU's
/// kmap window; <c>kmap_pte − g</c> is entry <c>FIX_KMAP_BEGIN + g</c>) and the PTEs of a vmalloc arena. They are
/// shared by all CPUs; privacy of a kmap window is a convention. Each PTE write is its own scheduling point (spec
/// §6); reads made by the MMU's page walk are not (they happen inside the access that needs them).
/// </summary>
public sealed class KernelPageTables
{
    private const int None = 0;
    private readonly int[] _fixmap;    // pfn + 1 per fixmap index; 0 = pte_none
    private readonly int[] _vmalloc;   // pfn + 1 per page of the arena

    /// <summary>Creates empty tables for <paramref name="layout"/> and a vmalloc arena of <paramref name="vmallocPages"/> pages at VMALLOC_START.</summary>
    public KernelPageTables(AddressLayout layout, int vmallocPages = 0)
    {
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        ArgumentOutOfRangeException.ThrowIfNegative(vmallocPages);
        _fixmap = new int[layout.EndOfPermanentFixedAddresses];
        _vmalloc = new int[vmallocPages];
    }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout { get; }

    /// <summary>Pages of the modelled vmalloc arena, from VMALLOC_START.</summary>
    public int VmallocPages => _vmalloc.Length;

    /// <summary>The TLB window (first vpn, pages) covering every permanent fixmap.</summary>
    public (long BaseVpn, int Pages) FixmapTlbWindow =>
        (X86Layout.Vpn(AddressLayout.FixToVirt(_fixmap.Length - 1)), _fixmap.Length);

    /// <summary>The TLB window (first vpn, pages) covering the vmalloc arena.</summary>
    public (long BaseVpn, int Pages) VmallocTlbWindow => (X86Layout.Vpn(Layout.VmallocStart), Math.Max(1, _vmalloc.Length));

    /// <summary>The frame fixmap entry <paramref name="index"/> maps, or null for pte_none (a peek).</summary>
    public int? FixPte(int index) => Decode(Volatile.Read(ref _fixmap[CheckFix(index)]));

    /// <summary>set_pte(kmap_pte − g, mk_pte(page)) for fixmap entry <paramref name="index"/>.</summary>
    public void SetFixPte(int index, int pfn)
    {
        CheckFix(index);
        if (Sim.IsControlled) Sim.SchedulingPoint($"set_pte fix[{index}] = pfn {pfn}");
        Volatile.Write(ref _fixmap[index], pfn + 1);
    }

    /// <summary>pte_clear for fixmap entry <paramref name="index"/>.</summary>
    public void ClearFixPte(int index)
    {
        CheckFix(index);
        if (Sim.IsControlled) Sim.SchedulingPoint($"pte_clear fix[{index}]");
        Volatile.Write(ref _fixmap[index], None);
    }

    /// <summary>The frame the vmalloc PTE of <paramref name="va"/> maps, or null (a peek).</summary>
    public int? VmallocPte(uint va) => Decode(Volatile.Read(ref _vmalloc[VmallocIndex(va)]));

    /// <summary>set_pte for the vmalloc page at <paramref name="va"/>.</summary>
    public void SetVmallocPte(uint va, int pfn)
    {
        var i = VmallocIndex(va);
        if (Sim.IsControlled) Sim.SchedulingPoint($"set_pte vmalloc 0x{va:x8} = pfn {pfn}");
        Volatile.Write(ref _vmalloc[i], pfn + 1);
    }

    /// <summary>pte_clear for the vmalloc page at <paramref name="va"/>.</summary>
    public void ClearVmallocPte(uint va)
    {
        var i = VmallocIndex(va);
        if (Sim.IsControlled) Sim.SchedulingPoint($"pte_clear vmalloc 0x{va:x8}");
        Volatile.Write(ref _vmalloc[i], None);
    }

    /// <summary>The page walk the MMUs use on a TLB miss (mapped with <c>Machine.MapKernelRange</c>).</summary>
    public int? Walk(long vpn)
    {
        var va = (uint)(vpn << X86Layout.PageShift);
        if (va >= AddressLayout.FixToVirt(_fixmap.Length - 1) && va <= X86Layout.FixaddrTop)
            return FixPte(AddressLayout.VirtToFix(va));
        if (va >= Layout.VmallocStart && va < Layout.VmallocStart + (uint)_vmalloc.Length * X86Layout.PageSize)
            return VmallocPte(va);
        return null;
    }

    private static int? Decode(int raw) => raw == None ? null : raw - 1;

    private int CheckFix(int index)
    {
        if (index < 0 || index >= _fixmap.Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"fixmap index {index} is outside the permanent fixmap [0, {_fixmap.Length})");
        return index;
    }

    private int VmallocIndex(uint va)
    {
        var i = (long)(va - Layout.VmallocStart) >> X86Layout.PageShift;
        if (va < Layout.VmallocStart || i >= _vmalloc.Length)
            throw new ArgumentOutOfRangeException(nameof(va), $"0x{va:x8} is outside the modelled vmalloc arena");
        return (int)i;
    }
}
