using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>The permanent-mapping (pkmap) scenarios and bug variants.</summary>
public static class PkmapCatalog
{
    /// <summary>The pkmap scenarios, in listing order.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
    [
        new PkmapScenario("distinct-pages", "each task kmaps, reads and kunmaps its own pages: slot allocation, hand, wrap-flush, lazy unmap",
            new() { Cpus = 2, LastPkmap = 4, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.DistinctPages),
        new PkmapScenario("shared-page", "all CPUs kmap one shared page, between private pages that force wraps: revival, refcounts, flush of a shared slot",
            new() { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 }, PkmapWorkloads.SharedPage, minPages: 2),
        new PkmapScenario("few-slots", "more CPUs than pkmap slots: sleeping on pkmap_map_wait, wake-up on the 2→1 transition, re-check after waking",
            new() { Cpus = 3, LastPkmap = 2, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.FewSlots),
        new PkmapScenario("slot-hog", "one task holds every pkmap slot at once while the others wait on pkmap_map_wait for its kunmaps",
            new() { Cpus = 3, LastPkmap = 2, Pages = 3, OpsPerTask = 1 }, SlotHogWorkload.Operation, minPages: 3),
        new PkmapScenario("wrap-readers", "one CPU forces wraps and TLB shootdowns while readers on the other CPUs cache pkmap translations",
            new() { Cpus = 2, LastPkmap = 2, Pages = 4, OpsPerTask = 2 }, PkmapWorkloads.WrapReaders, minPages: 3),
        new PkmapScenario("irq-page-address", "IRQ handlers use a page's pkmap address (pinned with kmap_high_get) while tasks kmap and wrap (ARM flavour)",
            new() { Cpus = 2, LastPkmap = 2, Pages = 3, OpsPerTask = 3 }, IrqPageAddressWorkload.Operation, minPages: 2, archNeedsKmapHighGet: true),
    ];

    /// <summary>The pkmap bug variants, in listing order.</summary>
    public static IReadOnlyList<BugVariant> Variants { get; } =
    [
        new(VariantNames.EnqueueAfterUnlock,
            "H14 i: map_new_virtual sets TASK_UNINTERRUPTIBLE and joins pkmap_map_wait after unlock_kmap(); a kunmap in between sees an empty queue and wakes nobody",
            BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog"]),
        new(VariantNames.WakeCheckOutsideLock,
            "H14 ii: kunmap_high samples waitqueue_active() without kmap_lock (modelled as the sample a lockless load may be reordered to: before the critical section)",
            BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog"]),
        new(VariantNames.WakeOnZero,
            "H14 iii: kunmap_high checks for sleepers when a count reaches 0 — which never happens — instead of 1",
            BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog", "few-slots"]),
        new(VariantNames.NoRecheckAfterWake,
            "H14 iv: after waking, map_new_virtual rescans without re-checking page_address(); a page mapped meanwhile gets a second slot",
            BugKind.AssertionFailure, "invariant P2/P3 (page in two slots)", ["slot-hog", "few-slots"]),
        new(VariantNames.NoBudgetReset,
            "H14 v: the scan budget is not reset after the wrap-flush, so a task sleeps although the flush freed a slot",
            BugKind.AssertionFailure, "invariant P8 (sleep with a free slot)", ["few-slots", "slot-hog"]),
        new(VariantNames.SkipTlbFlush,
            "flush_all_zero_pkmaps clears the PTEs but never calls flush_tlb_kernel_range: other CPUs keep stale translations of reusable slots",
            BugKind.AssertionFailure, "invariant P7 (stale TLB) / corruption", ["wrap-readers"]),
        new(VariantNames.DropLockAroundFlush,
            "H3b: kmap_lock is dropped around flush_tlb_kernel_range, so slots at 0 can be reused while TLBs still cache them",
            BugKind.AssertionFailure, "invariant P7 (stale TLB) / corruption", ["wrap-readers"]),
        new(VariantNames.IrqOffLockIpiFlush,
            "H3: lock_kmap() disables IRQs (ARM spin_lock_irq) while flush_tlb_kernel_range waits for IPIs: a CPU spinning on kmap_lock with IRQs off never acknowledges",
            BugKind.Deadlock, "deadlock (IPI wait under IRQ-disabled lock)", ["wrap-readers"]),
        new(VariantNames.UnpinnedPageAddress,
            "H4: the interrupt handler uses page_address() instead of kmap_high_get(): nothing pins the slot, which a wrap on another CPU flushes and recycles",
            BugKind.AssertionFailure, "corruption (recycled or unmapped slot)", ["irq-page-address"]),
        new(VariantNames.SetPageAddressUnlocked,
            "H13: map_new_virtual calls set_page_address() after dropping kmap_lock; others see a mapped slot without its page address",
            BugKind.AssertionFailure, "invariant P2 (slot without page address)", ["shared-page"]),
        new(VariantNames.DoubleKunmap,
            "H15: a client kunmaps a page twice for one kmap; kunmap_high must BUG rather than let a count reach 0 with a live PTE",
            BugKind.UnhandledException, "BUG (kunmap_high)", ["distinct-pages"]),
        new(VariantNames.KmapFromIrq,
            "the interrupt handler calls kmap(), which may sleep, instead of kmap_high_get()",
            BugKind.AssertionFailure, "invalid context (might_sleep)", ["irq-page-address"]),
        new(VariantNames.NestedKmap,
            "H9: a client asks for a second kmap while holding one; with more such clients than slots every slot is held and all sleep",
            BugKind.Deadlock, "deadlock (pool exhaustion)", ["few-slots"]),
    ];
}
