using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The named bug variants of the temporary mappings and the vmalloc area (spec §4), each with the interleaving
/// that triggers it. The correct model is variant <c>none</c>.
/// </summary>
public static class TemporaryVariants
{
    /// <summary>H16 (§2.4.1): a caller sleeps (a contended lock_page) while holding a typed atomic kmap.</summary>
    public const string AtomicAcrossSleep = "atomic-across-sleep";

    /// <summary>H16: kmap_atomic disables page faults but not preemption; another task reuses the (CPU, type) slot.</summary>
    public const string AtomicNoPreemptDisable = "atomic-no-preempt-disable";

    /// <summary>H7/H8: an IRQ-type slot used with IRQs on (local_save_flags instead of local_irq_save).</summary>
    public const string IrqTypeWithIrqsOn = "irq-type-with-irqs-on";

    /// <summary>H1: stack-based kunmap_atomic pops before clearing the slot.</summary>
    public const string PopBeforeClear = "pop-before-clear";

    /// <summary>H2: the depth check accepts index KM_TYPE_NR (<c>idx &gt; KM_TYPE_NR</c>).</summary>
    public const string DepthOffByOne = "depth-off-by-one";

    /// <summary>H17: a caller unmaps the older of two nested mappings first.</summary>
    public const string KunmapOutOfOrder = "kunmap-out-of-order";

    /// <summary>H19 (i): kmap_local without migrate_disable.</summary>
    public const string LocalNoMigrateDisable = "local-no-migrate-disable";

    /// <summary>H19 (ii, iii): kmap_local without preempt_disable around push/record and clear/forget.</summary>
    public const string LocalNoPreemptDisable = "local-no-preempt-disable";

    /// <summary>H20: sched_out zeroes (and saves) the task's kmap index.</summary>
    public const string SchedOutTouchesIdx = "sched-out-touches-idx";

    /// <summary>H18: a kmap_local address is handed to a task on another CPU.</summary>
    public const string LocalAddressShared = "local-address-shared";

    /// <summary>V7: get_vm_area inserts into vmlist without vmlist_lock.</summary>
    public const string VmlistUnlockedInsert = "vmlist-unlocked-insert";

    /// <summary>V7: __vunmap frees the pages before unmapping them and flushing the TLBs.</summary>
    public const string VfreePagesBeforeFlush = "vfree-pages-before-flush";

    /// <summary>Every variant, with its expected bug kind and class and the scenarios that find it (first = tested).</summary>
    public static IReadOnlyList<BugVariant> All { get; } =
    [
        new(AtomicAcrossSleep,
            "H16: lock_page (may sleep) inside a KM_USER0 section. Interleaving: task A on CPU1 holds the page lock; " +
            "task B on CPU0 maps KM_USER0 and calls lock_page, finds it locked and calls schedule() with preempt_count 1 " +
            "→ the kernel's 'BUG: scheduling while atomic' (the sleep would let another CPU0 task reuse the slot).",
            BugKind.UnhandledException, "BUG: scheduling while atomic", ["typed-preempt"]),
        new(AtomicNoPreemptDisable,
            "H16: kmap_atomic only bumps pagefault_disabled, not the preempt count. Interleaving: T1 maps pfn A in " +
            "(CPU0, KM_USER0) and is preempted at its next interrupt point; T2 on CPU0 maps pfn B in KM_USER0 → " +
            "BUG_ON(!pte_none) (eager clear); with migration, T1 resumes on CPU1 and touches CPU0's window (invariant 12).",
            BugKind.UnhandledException, "slot reuse: BUG_ON(!pte_none)", ["typed-preempt", "typed-migrate"]),
        new(IrqTypeWithIrqsOn,
            "H7/H8: bio_kmap_irq saves the IRQ flags instead of disabling IRQs. Interleaving: process context maps pfn A " +
            "in (CPU0, KM_BIO_SRC_IRQ) with IRQs on; the block-completion hardirq fires before the second read, maps pfn " +
            "B in the same slot and unmaps (2.6.11 leaves the PTE) → the process reads pfn B's content. With " +
            "debug_kmap_atomic (typed-irq-debug) the map itself warns.",
            BugKind.AssertionFailure, "slot reuse: wrong page content", ["typed-irq-lazy", "typed-irq-debug"]),
        new(PopBeforeClear,
            "H1 (20273941f212): kunmap_atomic pops the per-CPU index before clearing the slot. Interleaving: process " +
            "context on CPU0 unmaps its top slot k, pops (depth k), an IRQ arrives before pte_clear, the handler's " +
            "kmap_atomic pushes slot k again and finds it mapped → BUG_ON(!pte_none).",
            BugKind.UnhandledException, "slot reuse: BUG_ON(!pte_none)", ["stack-nesting"]),
        new(DepthOffByOne,
            "H2: BUG_ON(idx > KM_TYPE_NR) lets index KM_TYPE_NR through; on CPU0 that is CPU1's slot 0. Interleaving: " +
            "CPU0 nests process (2 mappings) + softirq + a hardirq on top of the softirq, pushing index KM_TYPE_NR: the " +
            "fixed check stops it with BUG, the broken one installs the PTE of CPU1's slot 0 (invariant 17: windows " +
            "disjoint), which CPU1 may be using (BUG_ON(!pte_none) or a foreign page on either side).",
            BugKind.AssertionFailure, "cross-CPU window collision (invariant 17)", ["stack-overflow"]),
        new(KunmapOutOfOrder,
            "H17: the caller unmaps A while B (mapped after A) is on top. kunmap_atomic peeks the top, clears B's slot " +
            "and pops; the caller's next use of B faults (or, if an interrupt mapped that slot meanwhile, reads a " +
            "foreign page), and A's slot is cleared by B's unmap.",
            BugKind.AssertionFailure, "oops or wrong page through a dead slot", ["stack-nesting"]),
        new(LocalNoMigrateDisable,
            "H19 (i): kmap_local_page without migrate_disable. Interleaving: T maps pfn A at CPU0 slot k, is preempted " +
            "and resumes on CPU1: sched_in restores A in CPU1's window (invariant L2: a task holding local mappings " +
            "stays on its CPU), while T's pointer still names CPU0's slot — empty (oops) or another task's page.",
            BugKind.AssertionFailure, "dangling kmap_local address after migration", ["local-preempt"]),
        new(LocalNoPreemptDisable,
            "H19 (ii/iii): no preempt_disable in kmap_local's push/record and clear/forget. Interleaving (ii): T pushes " +
            "slot k and installs the PTE, is preempted before recording pteval[k]: sched_out finds pteval[k] empty " +
            "(WARN) and leaves the PTE live. (iii): T clears the PTE, is preempted before pteval[k] = 0: sched_in " +
            "resurrects it above the new top (invariant L1).",
            BugKind.AssertionFailure, "WARN in sched_out / invariant L1", ["local-preempt"]),
        new(SchedOutTouchesIdx,
            "H20: sched_out zeroes the task's kmap idx (saving it aside). Interleaving: T holds slot 0 and is switched " +
            "out; between sched_out and the switch an NMI maps with kmap_local, pushing at idx 0 of T's kmap_ctrl, " +
            "overwriting pteval[0] and zeroing it on unmap; at sched_in slot 0 has no recorded PTE (WARN) and T's " +
            "address is dead.",
            BugKind.AssertionFailure, "WARN in sched_in: lost pteval", ["local-preempt"]),
        new(LocalAddressShared,
            "H18: a kmap_local address is handed to a task on another CPU. Interleaving: T1 on CPU0 maps pfn A and " +
            "publishes the address; T2 on CPU1 dereferences it — through CPU0's slot, which T1 may already have " +
            "unmapped (oops) — violating invariants 12 and L5.",
            BugKind.AssertionFailure, "kmap_local address used by another task", ["local-handoff"]),
        new(VmlistUnlockedInsert,
            "V7: get_vm_area walks and inserts into vmlist without vmlist_lock. Interleaving: two CPUs run the first-fit " +
            "scan concurrently (or a reader walks the list under the lock while a writer inserts without it) → the " +
            "unordered list accesses are a data race (and can produce overlapping areas).",
            BugKind.DataRace, "data race on vmlist", ["vmalloc-churn"]),
        new(VfreePagesBeforeFlush,
            "V7: __vunmap frees (poisons) the pages before remove_vm_area unmaps them and flushes the TLBs. " +
            "Interleaving: CPU0's vfree frees area A's page; a reader on CPU1 walks vmlist, still finds A, and reads it " +
            "through its vmalloc address → poison (or another owner's content if the frame was reallocated).",
            BugKind.AssertionFailure, "use after free through a vmalloc address", ["vmalloc-churn"]),
    ];
}
