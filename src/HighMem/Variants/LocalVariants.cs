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

    /// <summary>The guard-slot test of sched_out/sched_in checks CONFIG_DEBUG_HIGHMEM instead of CONFIG_DEBUG_KMAP_LOCAL.</summary>
    public static BugVariant GuardTestOnDebugHighmem { get; } = new("guard-test-debug-highmem",
        "__kmap_local_sched_out/_in skip the guard slots only under CONFIG_DEBUG_HIGHMEM, while DEBUG_KMAP_LOCAL alone " +
        "lays them out. Interleaving: under CONFIG_DEBUG_KMAP_LOCAL without DEBUG_HIGHMEM, a task holding a mapping is " +
        "preempted; sched_out takes guard slot 0 (pteval 0) for a mapping and WARNs that its pteval is empty.",
        BugKind.AssertionFailure, "WARN in sched_out: guard slot taken for a mapping", ["local-preempt-debug"])
    {
        Switches = "__kmap_local_sched_out/__kmap_local_sched_in (Local/KmapLocal.cs): the guard test reads DEBUG_HIGHMEM",
        History = new KernelFix("LKML, Link 20210318230657.1497881-1-ira.weiny@intel.com (Fixes: 0e91a0c6984c)",
            "mm/highmem: Fix CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP (Ira Weiny, reported by the kernel test robot, Mar 2021)",
            "0e91a0c6984c \"mm/highmem: Provide CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP\"", "Mar 2021, in -mm, Cc stable (the release not checked)",
            "all with kmap_local debugging (DEBUG_KMAP_LOCAL_FORCE_MAP)",
            "With CONFIG_DEBUG_KMAP_LOCAL every even stack slot is an unmapped guard. __kmap_local_sched_out and " +
            "__kmap_local_sched_in skipped them only when CONFIG_DEBUG_HIGHMEM was set, which a " +
            "DEBUG_KMAP_LOCAL_FORCE_MAP build need not have: the kernel test robot saw \"not correctly skipping the " +
            "guard pages\", i.e. sched_out treating a guard slot's empty pteval as a mapping (WARN_ON_ONCE). The fix " +
            "tests CONFIG_DEBUG_KMAP_LOCAL; the variant tests DEBUG_HIGHMEM, off in local-preempt-debug.")
        { Verified = "the -mm commit mail \"+ mm-highmem-fix-config_debug_kmap_local_force_map.patch added to -mm tree\" (mm-commits and stable, 19 Mar 2021, Message-ID 20210319224928.0O2v9eM7L%akpm@linux-foundation.org): subject, message and diff" },
    };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [LocalNoMigrateDisable, LocalNoPreemptDisable, SchedOutTouchesIdx, LocalAddressShared, GuardTestOnDebugHighmem];
}
