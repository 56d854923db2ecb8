
namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>The permanent-mapping (pkmap) scenarios; their variants are <see cref="Variants.PkmapVariants"/>.</summary>
public static class PkmapCatalog
{
    /// <summary>The pkmap scenarios, in listing order.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new PkmapScenario("distinct-pages", "each task kmaps, reads and kunmaps its own pages: slot allocation, hand, wrap-flush, lazy unmap",
            new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.DistinctPages)
            { Events = ["pkmap.new_slots", "pkmap.revivals", "pkmap.wraps", "pkmap.flushes", "tlb.shootdowns"] },
        new PkmapScenario("shared-page", "all CPUs kmap one shared page, between private pages that force wraps: revival, refcounts, flush of a shared slot",
            new() { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 }, PkmapWorkloads.SharedPage, minPages: 2)
            { Events = ["pkmap.new_slots", "pkmap.revivals", "pkmap.wraps", "pkmap.flushes", "tlb.ipis"] },
        new PkmapScenario("few-slots", "more CPUs than pkmap slots: sleeping on pkmap_map_wait, wake-up on the 2→1 transition, re-check after waking",
            new() { Cpus = 3, LastPkmap = 2, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.FewSlots)
            { Events = ["pkmap_map_wait.sleeps", "pkmap_map_wait.wakeups", "pkmap.wraps"] },
        new PkmapScenario("slot-hog", "one task holds every pkmap slot at once while the others wait on pkmap_map_wait for its kunmaps",
            new() { Cpus = 3, LastPkmap = 2, Pages = 3, OpsPerTask = 1 }, SlotHogWorkload.Operation, minPages: 3)
            { Events = ["pkmap_map_wait.sleeps", "pkmap_map_wait.wakeups", "pkmap.wraps"] },
        new PkmapScenario("wrap-readers", "one CPU forces wraps and TLB shootdowns while readers on the other CPUs cache pkmap translations",
            new() { Cpus = 2, LastPkmap = 2, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.WrapReaders, minPages: 3)
            { Events = ["pkmap.wraps", "pkmap.flushes", "tlb.ipis"] },
        new PkmapScenario("irq-page-address", "IRQ handlers use a page's pkmap address (pinned with kmap_high_get) while tasks kmap and wrap (ARM flavour)",
            new() { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 }, IrqPageAddressWorkload.Operation, minPages: 2, archNeedsKmapHighGet: true)
            { Events = ["kmap_high_get.pin.hardirq", "kmap_high_get.misses", "pkmap.wraps", "tlb.shootdowns"] },
        new PkmapScenario("revive-wrap", "one task kmaps a shared page again and again while another holds it and cycles the other pages: wraps with it mapped, lazily unmapped slots revived",
            new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 }, ReviveWrapWorkload.Operation, minPages: 2)
            { Events = ["pkmap.revivals", "pkmap.wraps", "pkmap.flushes"] },
        new PkmapScenario("pat-alias", "a driver kmaps and kunmaps a page, then makes it uncached for a device (set_pages_array_uc) and back, while other CPUs kmap and wrap (x86 PAT)",
            new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.PatAlias, minPages: 3)
            { Events = ["pkmap.flushes", "pkmap.new_slots", "pkmap.wraps"] },
    ];
}
