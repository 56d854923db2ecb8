using HighMemConcurrency.Kernel;
using static HighMemConcurrency.HighMem.Variants.PkmapVariants;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>
/// ARM flavour (ARCH_NEEDS_KMAP_HIGH_GET: kmap_lock taken with IRQs off, broadcast TLB maintenance). Each task's
/// operation raises a device interrupt on its CPU, then kmaps, reads and kunmaps a page; the interrupt handler,
/// nested wherever the strategy fires it, pins a page another CPU maps with kmap_high_get, reads it through the
/// pinned address and drops the pin with kunmap_high.
/// </summary>
internal static class IrqPageAddressWorkload
{
    internal static void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op)
    {
        var cpu = KernelTask.Current!.Cpu;
        cpu.RaiseIrq(new IrqLine("dma-complete", c => DmaCompleteHandler(model, c)));
        var pages = model.Memory.Pages;
        PkmapClient.MapUseUnmap(model, pages[(task + op) % pages.Count], reads: 1);
    }

    /// <summary>The handler: use the page whose pkmap alias is "the DMA buffer" of this CPU.</summary>
    private static void DmaCompleteHandler(HighMemModel model, Cpu cpu)
    {
        var pages = model.Memory.Pages;
        var page = pages[(cpu.Id + 1) % pages.Count];
        var pkmap = model.Pkmap;
        if (pkmap.Variant == KmapFromIrq)
        {
            var mapped = pkmap.Kmap(page);   // may sleep: illegal here
            pkmap.ReadMapped(mapped, page);
            pkmap.KunmapHigh(page);
            return;
        }
        if (pkmap.Variant == UnpinnedPageAddress)
        {
            var unpinned = pkmap.PageAddress(page);   // advisory: nothing stops a wrap from recycling the slot
            if (unpinned != 0) pkmap.ReadMapped(unpinned, page);
            return;
        }
        var va = pkmap.KmapHighGet(page);
        if (va == 0) return;   // not mapped anywhere: nothing to do through the alias
        pkmap.ReadMapped(va, page);
        pkmap.KunmapHigh(page);
    }
}
