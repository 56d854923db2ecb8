using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.PageTables;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Fixmap;

/// <summary>
/// The per-CPU kmap windows (spec §2.1) shared by the three generations: the address and PTE of (CPU, slot), the
/// install with the kernel's <c>BUG_ON(!pte_none)</c>, the clear, and the local TLB flush. Slot (c, k) is global
/// fixmap index <c>FIX_KMAP_BEGIN + k + W·c</c>; only CPU c is meant to touch it, so flushes are local.
/// </summary>
public sealed class KmapWindows
{
    /// <summary>Creates the windows over <paramref name="tables"/>.</summary>
    public KmapWindows(KernelPageTables tables)
    {
        Tables = tables ?? throw new ArgumentNullException(nameof(tables));
    }

    /// <summary>The page tables holding the fixmap PTEs.</summary>
    public KernelPageTables Tables { get; }

    /// <summary>The address layout.</summary>
    public AddressLayout Layout => Tables.Layout;

    /// <summary>The address of slot <paramref name="slot"/> of <paramref name="cpu"/>'s window.</summary>
    public uint Address(int cpu, int slot) => Layout.KmapAddress(cpu, slot);

    /// <summary>The frame slot (cpu, slot) maps, or null (a peek).</summary>
    public int? Pte(int cpu, int slot) => Tables.Pte(Address(cpu, slot));

    /// <summary>
    /// Where <see cref="KmapPte"/> points once <c>kmap_pte − idx</c> has left the PTE table of FIX_KMAP_BEGIN: memory
    /// the model does not hold (on ARM the previous table's hardware PTEs or whatever page precedes it). No kernel
    /// address has its PTE there (0 is a user address).
    /// </summary>
    public const uint OutsideTable = 0;

    /// <summary>
    /// The generic kmap_local code's PTE for slot (cpu, slot), <c>&amp;__kmap_pte[-idx]</c> (kmap_get_pte() before
    /// 825c43f50e3a; after it on every architecture that does not select KMAP_LOCAL_NON_LINEAR_PTE_ARRAY): __kmap_pte
    /// is the PTE of __fix_to_virt(FIX_KMAP_BEGIN), and a table's PTEs lie in address order, so this is the PTE of the
    /// page idx pages below FIX_KMAP_BEGIN's — the slot's own when the fixmap is numbered top down, as the generic code
    /// assumes, and the slot lies in the same PTE table (<see cref="AddressLayout.PteTableSpan"/>); past the table's
    /// first entry it is <see cref="OutsideTable"/>. Returned as the virtual address whose PTE it is.
    /// </summary>
    public uint KmapPte(int cpu, int slot)
    {
        var begin = Layout.FixToVirt(Layout.FixKmapBegin);
        var va = begin - ((uint)(Layout.KmapFixIndex(cpu, slot) - Layout.FixKmapBegin) << X86Layout.PageShift);
        return va / Layout.PteTableSpan == begin / Layout.PteTableSpan ? va : OutsideTable;   // mutation-report: equivalent[Conditional (true)]: every correct configuration that takes kmap_pte - idx (x86, xtensa) has its windows in FIX_KMAP_BEGIN's PTE table; only ARM's kmap-pte-linear-on-arm variant leaves it
    }

    /// <summary>
    /// Installs <paramref name="pfn"/> in slot <paramref name="slot"/> of <paramref name="cpu"/>'s window and returns
    /// its address. With <paramref name="bugIfMapped"/> the kernel's <c>BUG_ON(!pte_none(*pte))</c> fires first. The
    /// PTE written is the slot's own unless <paramref name="pte"/> names the one the caller's arithmetic reached
    /// (<see cref="KmapPte"/>).
    /// </summary>
    public uint Install(Cpu cpu, int slot, int pfn, bool bugIfMapped, string function, string slotName, uint? pte = null)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        var g = Layout.KmapFixIndex(cpu.Id, slot);
        var va = Layout.FixToVirt(g);
        var ptep = pte ?? va;
        // Invariant 17 (spec §5): (CPU, slot) ↦ fixmap index is injective only for slots below W.
        if (slot < 0 || slot >= Layout.KmapWindow)
            Sim.Fail(BugKind.AssertionFailure,
                $"invariant 17 violated: {slotName} on CPU{cpu.Id} is outside its {Layout.KmapWindow}-slot window: {Describe(g)}");
        if (ptep == OutsideTable)
        {
            // Neither the BUG_ON's read nor the write reach a PTE: the slot's own stays empty.
            if (Sim.IsControlled) Sim.Note($"{slotName} on CPU{cpu.Id}: kmap_pte-{g - Layout.FixKmapBegin} is outside the PTE table of FIX_KMAP_BEGIN; 0x{va:x8} stays unmapped");
            return va;
        }
        if (bugIfMapped && Tables.Pte(ptep) is { } old)
            throw new KernelBugException(
                $"kernel BUG at {function}: BUG_ON(!pte_none(*(kmap_pte-{g - Layout.FixKmapBegin}))): {slotName} on CPU{cpu.Id} " +   // mutation-report: note-text: the BUG's message
                $"(fixmap index {g}, 0x{va:x8}{(ptep == va ? "" : $", its PTE taken at 0x{ptep:x8}'s")}) still maps pfn {old} while pfn {pfn} is being mapped ({Describe(g)})");   // mutation-report: note-text: the BUG's message
        Tables.SetPteAt(ptep, pfn);
        return va;
    }

    /// <summary>Clears slot (cpu, slot): pte_clear of the slot only (the caller flushes), or of <paramref name="pte"/> as in <see cref="Install"/>.</summary>
    public void Clear(int cpu, int slot, uint? pte = null)
    {
        if (pte != OutsideTable) Tables.PteClear(pte ?? Address(cpu, slot));   // mutation-report: equivalent[Null coalescing]: on every correct configuration the PTE a caller computed is the slot's own (kmap_pte - idx lands on it); only variants pass another
    }

    /// <summary>set_pte_at through a PTE <see cref="KmapPte"/> computed: a PTE outside the table is not written.</summary>
    public void SetPte(uint pte, int pfn)
    {
        if (pte != OutsideTable) Tables.SetPteAt(pte, pfn);
    }

    /// <summary>__flush_tlb_one / flush_tlb_one_kernel: drops <paramref name="va"/> from <paramref name="cpu"/>'s TLB only.</summary>
    public static void LocalFlush(Cpu cpu, uint va)
    {
        ArgumentNullException.ThrowIfNull(cpu);
        if (Sim.IsControlled) Sim.SchedulingPoint($"CPU{cpu.Id} local TLB flush 0x{va:x8}");
        var vpn = X86Layout.Vpn(va);
        cpu.Tlb.FlushRange(vpn, vpn + 1);
    }

    /// <summary>Names the owner of fixmap index <paramref name="g"/> in window terms, e.g. "slot 0 of CPU1's window".</summary>
    public string Describe(int g)
    {
        var rel = g - Layout.FixKmapBegin;
        if (rel < 0 || g > Layout.FixKmapEnd) return $"fixmap index {g} is outside every kmap window";
        return $"fixmap index {g} is slot {rel % Layout.KmapWindow} of CPU{rel / Layout.KmapWindow}'s window";
    }
}
