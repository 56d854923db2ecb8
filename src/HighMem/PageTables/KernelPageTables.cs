using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.PageTables;

/// <summary>
/// init_mm's kernel page tables, as far as the model has any: the pkmap PTEs (pkmap_page_table, when the model has
/// permanent mappings), the fixmap PTEs (the permanent ones with every CPU's kmap window, and the boot-time ones; <c>kmap_pte − g</c> is entry
/// <c>FIX_KMAP_BEGIN + g</c>) and the PTEs of a vmalloc arena. They are shared by all CPUs. Each range is mapped into
/// the machine's TLBs with its own walk, so the MMU's one composite walk (<see cref="Machine.WalkPageTables"/>) is
/// the walk over these tables. Writers name the PTE by its virtual address, as the kernel's <c>set_pte_at</c> and
/// <c>pte_clear</c> do.
/// </summary>
public sealed partial class KernelPageTables
{
    private const int None = 0;

    /// <summary>
    /// Creates empty tables for <paramref name="layout"/> — the fixmap, a vmalloc arena of
    /// <paramref name="vmallocPages"/> pages at VMALLOC_START and, with <paramref name="pkmap"/>, the LAST_PKMAP
    /// pkmap PTEs — maps each range (fixmap, vmalloc, pkmap) into <paramref name="machine"/>'s TLBs, and registers
    /// the stray-PTE check (<see cref="StrayPte"/>) with the machine's quiescence checks.
    /// </summary>
    public KernelPageTables(Machine machine, AddressLayout layout, int vmallocPages = 0, bool pkmap = false)
    {
        Machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        ArgumentOutOfRangeException.ThrowIfNegative(vmallocPages);
        _fixmap = new int[layout.EndOfFixedAddresses];
        // pagetable_init's fixmap range runs from __fix_to_virt(__end_of_fixed_addresses - 1) to FIXADDR_TOP: the
        // table's lowest page is the one just above FIXADDR_BOOT_START, the layout's name for the same place.
        if (FixmapLow != layout.FixaddrBootStart + X86Layout.PageSize)
            throw new InvalidOperationException(
                $"the fixmap page table starts at 0x{FixmapLow:x8} ({_fixmap.Length} pages below FIXADDR_TOP 0x{layout.FixaddrTop:x8}) but FIXADDR_BOOT_START + PAGE_SIZE is 0x{layout.FixaddrBootStart + X86Layout.PageSize:x8}");
        _vmalloc = new int[vmallocPages];
        _pkmap = pkmap ? CreatePkmapPageTable(layout) : [];   // mutation-report: equivalent[Conditional (true)]: a model without pkmap never touches the pkmap window, so an empty table there changes nothing it does
        machine.MapKernelRange("fixmap", X86Layout.Vpn(FixmapLow), _fixmap.Length, WalkFixmap);   // mutation-report: equivalent[Arithmetic]: one page more would be the page at 4 GiB, which no 32-bit address reaches
        if (_vmalloc.Length > 0) machine.MapKernelRange("vmalloc", X86Layout.Vpn(layout.VmallocStart), _vmalloc.Length, WalkVmalloc);
        if (_pkmap.Length > 0) machine.MapKernelRange("pkmap", layout.PkmapBaseVpn, _pkmap.Length, WalkPkmap);
        machine.AddQuiescentCheck(StrayPte);
    }

    /// <summary>The machine whose MMUs walk these tables.</summary>
    public Machine Machine { get; }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout { get; }

    /// <summary>
    /// set_pte_at(&amp;init_mm, <paramref name="va"/>, ptep, mk_pte(page)): the kernel PTE of <paramref name="va"/>
    /// now maps frame <paramref name="pfn"/>. Each write is its own scheduling point (spec §6).
    /// </summary>
    public void SetPteAt(uint va, int pfn)
    {
        if (IsPkmapPte(va)) PkmapPte(va).Store(pfn);
        else if (IsFixmapPte(va)) WriteFixmapPte(va, pfn + 1, $"set_pte {FixmapName(va)} = pfn {pfn}");
        else if (IsVmallocPte(va)) WriteVmallocPte(va, pfn + 1, $"set_pte vmalloc 0x{va:x8} = pfn {pfn}");
        else throw NoPte(va);   // mutation-report: misuse: only a caller passing an address outside every modelled range comes here
    }

    /// <summary>pte_clear(&amp;init_mm, <paramref name="va"/>, ptep): the kernel PTE of <paramref name="va"/> becomes pte_none.</summary>
    public void PteClear(uint va)
    {
        if (IsPkmapPte(va)) PkmapPte(va).Store(None);
        else if (IsFixmapPte(va)) WriteFixmapPte(va, None, $"pte_clear {FixmapName(va)}");
        else if (IsVmallocPte(va)) WriteVmallocPte(va, None, $"pte_clear vmalloc 0x{va:x8}");
        else throw NoPte(va);   // mutation-report: misuse: only a caller passing an address outside every modelled range comes here
    }

    /// <summary>
    /// The frame the kernel PTE of <paramref name="va"/> maps, or null for pte_none (an empty PTE) — a peek, as the MMU's page walk
    /// reads it (inside the access that needs it) and as invariant checks and reports do.
    /// </summary>
    public int? Pte(uint va)
    {
        if (IsPkmapPte(va)) return Frame(PkmapPte(va).Peek);
        if (IsFixmapPte(va)) return ReadFixmapPte(va);
        if (IsVmallocPte(va)) return Decode(Volatile.Read(ref _vmalloc[VmallocIndex(va)]));
        throw NoPte(va);   // mutation-report: misuse: only a caller passing an address outside every modelled range comes here
    }

    private static int? Decode(int raw) => raw == None ? null : raw - 1;

    // mutation-report: misuse: the exception only a caller passing an address outside every modelled range gets
    private ArgumentOutOfRangeException NoPte(uint va) => new(nameof(va),
        $"0x{va:x8} has no kernel PTE in the model: it is outside the pkmap window{(_pkmap.Length > 0 ? "" : " (not modelled)")}, " +
        $"the fixmap [0x{FixmapLow:x8}, 0x{Layout.FixaddrTop:x8}] and the " +
        $"{_vmalloc.Length}-page vmalloc arena at 0x{Layout.VmallocStart:x8}");
}
