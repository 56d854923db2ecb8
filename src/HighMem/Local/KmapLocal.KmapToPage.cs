using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;
using static HighMemConcurrency.HighMem.Variants.LocalVariants;

namespace HighMemConcurrency.HighMem.Local;

public sealed partial class KmapLocal
{
    /// <summary>
    /// kmap_to_page(vaddr) (__kmap_to_page in mm/highmem.c): the page behind a kernel address that may be a kmap.
    /// A pkmap address is looked up in pkmap_page_table, a kmap_local address among the calling task's own stack
    /// entries (ef6e06b2ef87, 6.1; here over the whole kmap window, see the variant <c>kmap-to-page-skips-begin</c>),
    /// anything else is virt_to_page — which for a fixmap address is the struct page at
    /// the same offset from PAGE_OFFSET, a page that has nothing to do with the mapping. Returns the frame number.
    /// </summary>
    /// <remarks>
    /// The fix also put WARN_ON_ONCE around both kmap lookups, because kmap_to_page() is to be removed; that warning
    /// marks a caller to convert, not a wrong result, so the model counts the lookup (<c>kmap_to_page.pkmap</c>,
    /// <c>kmap_to_page.kmap_local</c>) instead of failing the run.
    /// </remarks>
    public int KmapToPage(uint vaddr)
    {
        var task = KernelTask.Current ?? throw new InvalidOperationException("kmap_to_page outside a kernel task");
        var layout = _windows.Layout;
        var @base = X86Layout.PageAlign(vaddr);
        if (layout.IsPkmap(vaddr))
        {
            task.Cpu.Machine.Counters.Add("kmap_to_page.pkmap");
            return _windows.Tables.Pte(vaddr) ?? 0;   // pte_page(pkmap_page_table[PKMAP_NR(addr)]): pfn 0 for pte_none
        }
        // Before ef6e06b2ef87 a kmap_local address fell through to virt_to_page. The fix tests the window as
        // [__fix_to_virt(FIX_KMAP_END), __fix_to_virt(FIX_KMAP_BEGIN)), which leaves out FIX_KMAP_BEGIN's own page —
        // the top one, CPU0's first slot; the model tests the whole window and keeps the fix's bound as a variant.
        var inWindow = Config.Variant == KmapToPageSkipsBegin
            ? @base >= layout.FixToVirt(layout.FixKmapEnd) && @base < layout.FixToVirt(layout.FixKmapBegin)
            : layout.IsKmapWindow(@base);
        if (Config.Variant != KmapToPageMissesLocal && inWindow)
        {
            task.Cpu.Machine.Counters.Add("kmap_to_page.kmap_local");
            var ctrl = Ctrl(task);
            for (var i = 0; i < ctrl.Idx; i++)
                if (_windows.Address(task.Cpu.Id, i) == @base)
                {
                    if (Sim.IsControlled) Sim.Note($"{task.Name} kmap_to_page(0x{vaddr:x8}) = pfn {ctrl.PteVal[i] - 1} (kmap_local slot {i})");
                    return ctrl.PteVal[i] - 1;   // pte_page(kctrl->pteval[i])
                }
        }
        var pfn = layout.DirectMapPfn(vaddr);   // virt_to_page(vaddr)
        if (Sim.IsControlled) Sim.Note($"{task.Name} kmap_to_page(0x{vaddr:x8}) = virt_to_page: pfn {pfn}");
        return pfn;
    }
}
