using HighMemConcurrency.HighMem.Atomic;
using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>The temporary-mapping and vmalloc scenarios, for the main <c>Catalog</c> to include.</summary>
public static class TemporaryCatalog
{
    /// <summary>
    /// All scenarios of this part of the model, typed → stack-based → kmap_local → vmalloc, each with the kernel events
    /// its workload is there to reach.
    /// </summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new TypedIrqScenario(AtomicClearMode.Lazy) { Events = ["kmap_atomic.process", "kmap_atomic.softirq", "kmap_atomic.hardirq"] },
        new TypedIrqScenario(AtomicClearMode.Lazy, debugHighmem: true) { Events = ["kmap_atomic.process", "kmap_atomic.softirq", "kmap_atomic.hardirq"] },
        new TypedIrqScenario(AtomicClearMode.Eager) { Events = ["kmap_atomic.process", "kmap_atomic.softirq", "kmap_atomic.hardirq", "kmap_atomic.nmi"] },
        new TypedPreemptScenario(migrate: false) { Events = ["kmap_atomic.process"] },
        new TypedPreemptScenario(migrate: true) { Events = ["kmap_atomic.process", "migrations"] },
        new StackNestingScenario(overflow: false) { Events = ["kmap_atomic.process", "kmap_atomic.softirq", "kmap_atomic.hardirq", "kmap_atomic.last_slot"] },
        new StackNestingScenario(overflow: true) { Events = ["kmap_atomic.last_slot"] },
        new StackDepthScenario() { Events = ["kmap_atomic.hardirq", "kmap_atomic.last_slot"] },
        new LocalPreemptScenario() { Events = ["kmap_local.process", "kmap_local.hardirq", "kmap_local.nmi", "kmap_local.sched_out", "kmap_local.sched_in", "migrations"] },
        new LocalPreemptScenario(debugKmapLocal: true) { Events = ["kmap_local.process", "kmap_local.hardirq", "kmap_local.nmi", "kmap_local.sched_out", "kmap_local.sched_in", "migrations"] },
        new LocalPreemptScenario(debugKmapLocal: true, KernelArch.Xtensa) { Events = ["kmap_local.process", "kmap_local.hardirq", "kmap_local.nmi", "kmap_local.sched_out", "kmap_local.sched_in", "migrations"] },
        new LocalDepthScenario() { Events = ["kmap_local.process", "kmap_local.deepest"] },
        new LocalHandoffScenario() { Events = ["kmap_local.process", "kmap_local.deepest", "kmap_to_page.kmap_local"] },
        new VivtAliasScenario() { Events = ["kmap_high_get.pin.process", "pkmap.flushes", "pkmap.new_slots"] },
        new ColourAliasScenario() { Events = ["pkmap.new_slots", "pkmap.wraps", "pkmap.flushes"] },
        new VmallocChurnScenario() { Events = ["vfree", "vunmap", "iounmap", "tlb.ipis", "vread.pages"] },
        new VmallocEdgesScenario() { Events = ["vmalloc.refusals", "vfree", "vunmap", "iounmap", "vread.pages"] },
    ];
}
