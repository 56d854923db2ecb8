using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>The kmap_local (5.11+, spec §2.5) bug variants, each with the interleaving that triggers it.</summary>
public static class LocalVariants
{
    /// <summary>H19 (i): kmap_local without migrate_disable.</summary>
    public static BugVariant LocalNoMigrateDisable { get; } = new("local-no-migrate-disable",
        "H19 (i): kmap_local_page without migrate_disable. Interleaving: T maps pfn A at CPU0 slot k, is preempted " +
        "and resumes on CPU1: sched_in restores A in CPU1's window (invariant L2: a task holding local mappings " +
        "stays on its CPU), while T's pointer still names CPU0's slot — empty (oops) or another task's page.",
        BugKind.AssertionFailure, "dangling kmap_local address after migration", ["local-preempt"])
    { Spec = "H19 i", Switches = "kmap_local_page/kunmap_local (Local/KmapLocal.cs): no migrate_disable()/migrate_enable()" };

    /// <summary>H19 (ii, iii): kmap_local without preempt_disable around push/record and clear/forget.</summary>
    public static BugVariant LocalNoPreemptDisable { get; } = new("local-no-preempt-disable",
        "H19 (ii/iii): no preempt_disable in kmap_local's push/record and clear/forget. Interleaving (ii): T pushes " +
        "slot k and installs the PTE, is preempted before recording pteval[k]: sched_out finds pteval[k] empty " +
        "(WARN) and leaves the PTE live. (iii): T clears the PTE, is preempted before pteval[k] = 0: sched_in " +
        "resurrects it above the new top (invariant L1).",
        BugKind.AssertionFailure, "WARN in sched_out / invariant L1", ["local-preempt"])
    { Spec = "H19 ii/iii", Switches = "__kmap_local_pfn_prot/kunmap_local_indexed (Local/KmapLocal.cs): no preempt_disable()/preempt_enable()" };

    /// <summary>H20: sched_out zeroes (and saves) the task's kmap index.</summary>
    public static BugVariant SchedOutTouchesIdx { get; } = new("sched-out-touches-idx",
        "H20: sched_out zeroes the task's kmap idx (saving it aside). Interleaving: T holds slot 0 and is switched " +
        "out; between sched_out and the switch an NMI maps with kmap_local, pushing at idx 0 of T's kmap_ctrl, " +
        "overwriting pteval[0] and zeroing it on unmap; at sched_in slot 0 has no recorded PTE (WARN) and T's " +
        "address is dead.",
        BugKind.AssertionFailure, "WARN in sched_in: lost pteval", ["local-preempt"])
    { Spec = "H20", Switches = "__kmap_local_sched_out/__kmap_local_sched_in (Local/KmapLocal.cs): kmap_ctrl.idx parked at 0 and restored" };

    /// <summary>H18: a kmap_local address is handed to a task on another CPU.</summary>
    public static BugVariant LocalAddressShared { get; } = new("local-address-shared",
        "H18: a kmap_local address is handed to a task on another CPU. Interleaving: T1 on CPU0 maps pfn A and " +
        "publishes the address; T2 on CPU1 dereferences it — through CPU0's slot, which T1 may already have " +
        "unmapped (oops) — violating invariants 12 and L5.",
        BugKind.AssertionFailure, "kmap_local address used by another task", ["local-handoff"])
    { Spec = "H18", Switches = "the producer (Scenarios/Temporary/LocalHandoffScenario.cs): hands over the address instead of the page" };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [LocalNoMigrateDisable, LocalNoPreemptDisable, SchedOutTouchesIdx, LocalAddressShared];
}
