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
        History = new KernelFix("487cfade12fa",
            "mm/highmem: fix CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP (Ira Weiny, reported by the kernel test robot, Mar 2021)",
            "0e91a0c6984c \"mm/highmem: Provide CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP\" (5.11)", "5.12 (v5.12-rc5), Cc stable",
            "all with kmap_local debugging (DEBUG_KMAP_LOCAL_FORCE_MAP)",
            "With CONFIG_DEBUG_KMAP_LOCAL every even stack slot is an unmapped guard. __kmap_local_sched_out and " +
            "__kmap_local_sched_in skipped them only when CONFIG_DEBUG_HIGHMEM was set, which a " +
            "DEBUG_KMAP_LOCAL_FORCE_MAP build need not have: the kernel test robot saw \"not correctly skipping the " +
            "guard pages\", i.e. sched_out treating a guard slot's empty pteval as a mapping (WARN_ON_ONCE). The fix " +
            "tests CONFIG_DEBUG_KMAP_LOCAL; the variant tests DEBUG_HIGHMEM, off in local-preempt-debug.")
        { Verified = "the -mm commit mail \"+ mm-highmem-fix-config_debug_kmap_local_force_map.patch added to -mm tree\" (mm-commits and stable, 19 Mar 2021, Message-ID 20210319224928.0O2v9eM7L%akpm@linux-foundation.org): subject, message and diff; the hash from the 5.11 stable backport's upstream line and the release from Linus's \"Linux 5.12-rc5\" shortlog (a helper session)" },
    };

    /// <summary>xtensa's fixmap numbered bottom up under the generic kmap_local code, which assumes top down.</summary>
    public static BugVariant XtensaFixmapBottomUp { get; } = new("xtensa-fixmap-bottom-up",
        "xtensa's own __fix_to_virt(x) = FIXADDR_START + (x << PAGE_SHIFT) under the generic kmap_local code, which " +
        "finds a slot's PTE as kmap_pte - idx (top down). Interleaving: none needed — a task's first mapping at idx >= 1 " +
        "writes the PTE idx pages below FIX_KMAP_BEGIN's while its address lies idx pages above: the address stays " +
        "unmapped (invariant L1, or an oops at the first read) and another fixmap page gets the PTE.",
        BugKind.AssertionFailure, "kmap_local PTE written for another page", ["local-preempt-xtensa"])
    {
        Switches = "__fix_to_virt/__virt_to_fix (Layout/AddressLayout.cs, as arch/xtensa/include/asm/fixmap.h had them): bottom up",
        History = new KernelFix("1eb0616c2df5", "xtensa/mm/highmem: Make generic kmap_atomic() work correctly (Thomas Gleixner; reported, fixed up and tested by Max Filippov)",
            "629ed3f7dad2 \"xtensa/mm/highmem: Switch to generic kmap atomic\" (the same 5.11 series)", "5.11 (tglx's core/mm pull for v5.11-rc1)",
            "xtensa",
            "The 5.11 series moved every architecture's kmap_atomic onto the generic kmap_local code, which computes a slot's " +
            "address with __fix_to_virt(FIX_KMAP_BEGIN + idx) and its PTE as kmap_pte - idx, both assuming the fixmap grows " +
            "top down. xtensa's fixmap.h numbered it bottom up, so every mapping but the first wrote the PTE of another fixmap " +
            "page and left its own address unmapped. The fix switched xtensa to the generic fixmap numbering (and reversed its " +
            "cache-colour offset, which the model's non-aliasing xtensa does not use); the variant keeps the bottom-up numbering.")
        { Verified = "a helper session's reading of the tip-bot2 mail \"[tip: core/mm] xtensa/mm/highmem: Make generic kmap_atomic() work correctly\" (Message-ID 160555825838.11244.4652932210210243090.tip-bot2@tip-bot2; hash 1eb0616c2df5b78c301eaa7bd2ee859f43915001, message and diff) and of the v5.11-rc1 core/mm pull that carried it" },
    };

    /// <summary>The guard-slot check of sched_out/sched_in tests !pte_none(pteval) instead of pte_val(pteval) != 0.</summary>
    public static BugVariant PteNoneGuardCheck { get; } = new("pte-none-guard-check",
        "__kmap_local_sched_out/_in check that a guard slot's recorded value is empty with !pte_none(pteval), but the " +
        "slots hold __pte(0), which is not pte_none on xtensa. Interleaving: under CONFIG_DEBUG_KMAP_LOCAL on xtensa, a " +
        "task holding a mapping is preempted; sched_out WARNs at guard slot 0 although nothing was ever recorded there.",
        BugKind.AssertionFailure, "WARN in sched_out: an empty guard slot is not pte_none", ["local-preempt-xtensa"])
    {
        Switches = "__kmap_local_sched_out/__kmap_local_sched_in (Local/KmapLocal.cs): WARN_ON_ONCE(!pte_none(pteval)) at a guard slot",
        AppliesTo = ["local-preempt-xtensa", "local-preempt-debug"],
        History = new KernelFix("66f133ceab74", "highmem: fix checks in __kmap_local_sched_{in,out} (Max Filippov)",
            "5fbda3ecd14a \"sched: highmem: Store local kmaps in task struct\" (5.11)", "5.18 (v5.18-rc2)",
            "xtensa (any architecture whose pte_none(__pte(0)) is false), with CONFIG_DEBUG_KMAP_LOCAL",
            "With CONFIG_DEBUG_KMAP_LOCAL the even positions of a task's kmap_ctrl.pteval are guards that stay __pte(0). " +
            "sched_out and sched_in checked them with WARN_ON_ONCE(!pte_none(pteval)), and on xtensa a zero PTE is not " +
            "pte_none (its empty PTE is _PAGE_CA_INVALID | _PAGE_USER), so every context switch of a task holding a local " +
            "mapping warned. The fix tests pte_val(pteval) != 0; the variant keeps !pte_none, which local-preempt-debug (x86) " +
            "cannot tell apart and local-preempt-xtensa finds.")
        { Verified = "a helper session's reading of the patch mail (Message-ID 20220403235159.3498065-1-jcmvbkbc@gmail.com: message and diff), the stable backport naming 66f133ceab7456c789f70a242991ed1b27ba1c3d upstream, and Linus's \"Linux 5.18-rc2\" shortlog" },
    };

    /// <summary>ARM's kmap_local PTEs found by indexing one array, &amp;__kmap_pte[-idx], across PTE tables.</summary>
    public static BugVariant KmapPteLinearOnArm { get; } = new("kmap-pte-linear-on-arm",
        "kmap_local finds a slot's PTE as &__kmap_pte[-idx] on ARM, whose PTE tables (2 MiB each, their Linux PTEs " +
        "beside the hardware ones) are not one array in memory. Interleaving: none needed — a task on the last of 8 CPUs " +
        "nests kmap_local mappings past idx 254; the PTE pointer leaves FIX_KMAP_BEGIN's table, the write lands outside " +
        "it, and the slot's address stays unmapped (invariant L1, or an oops at the read).",
        BugKind.AssertionFailure, "kmap_local PTE written outside the page table", ["local-depth-arm"])
    {
        Switches = "kmap_get_pte (Local/KmapLocal.cs): &__kmap_pte[-idx] on ARM instead of virt_to_kpte(vaddr) (KMAP_LOCAL_NON_LINEAR_PTE_ARRAY)",
        History = new KernelFix("825c43f50e3a", "kmap_local: don't assume kmap PTEs are linear arrays in memory (Ard Biesheuvel; reported by Quanyang Wang)",
            "2a15ba82fa6c \"ARM: highmem: Switch to generic kmap atomic\" (5.11)", "5.16 (v5.16-rc2), Cc stable",
            "ARM without LPAE, with more than 8 CPUs (the commit's words)",
            "The generic kmap_local code found a slot's PTE by indexing back from FIX_KMAP_BEGIN's, &__kmap_pte[-idx]. ARM's " +
            "PTE tables are separate pages that interleave the hardware and the Linux PTEs, so once the per-CPU slots reach " +
            "past one table the index lands in other memory; the commit says this bites with more than 8 CPUs and does not " +
            "say more. The fix lets an architecture select KMAP_LOCAL_NON_LINEAR_PTE_ARRAY and then walks the page tables " +
            "(virt_to_kpte(vaddr)). In the model's ARM layout (FIXADDR_TOP 0xFFEFF000, FIX_KMAP_BEGIN 1) the table boundary " +
            "is 255 slots below FIX_KMAP_BEGIN, which CPU7 reaches with CONFIG_DEBUG_KMAP_LOCAL (KM_MAX_IDX 33) in local-depth-arm.")
        { Verified = "a helper session's reading of the commit page (review.tizen.org, linux-rpi, 825c43f50e3aa811a291ffcb40e02fbf6d91ba86: message and diff), the 5.15 stable backport and Linus's \"Linux 5.16-rc2\" shortlog; ARM's FIXADDR_TOP and FIX_KMAP_BEGIN read in copies of arch/arm/include/asm/fixmap.h" },
    };

    /// <summary>kmap_to_page() without the kmap_local lookup: a kmap_local address goes to virt_to_page.</summary>
    public static BugVariant KmapToPageMissesLocal { get; } = new("kmap-to-page-misses-local",
        "kmap_to_page() knows pkmap addresses only; a kmap_local address falls through to virt_to_page(), the struct " +
        "page at the same offset from PAGE_OFFSET. Interleaving: none needed — the producer hands the consumer " +
        "kmap_to_page() of its kmap_local address, and the consumer maps and reads another page.",
        BugKind.AssertionFailure, "wrong page from kmap_to_page", ["local-handoff"])
    {
        Switches = "__kmap_to_page (Local/KmapLocal.KmapToPage.cs): no kmap_local lookup",
        History = new KernelFix("ef6e06b2ef87", "highmem: fix kmap_to_page() for kmap_local_page() addresses (Ira Weiny; reported by the kernel test robot and Al Viro)",
            "5fbda3ecd14a \"sched: highmem: Store local kmaps in task struct\" (5.11: kmap_local mappings live in the task)", "6.1 (akpm's mm-stable-2022-10-13, merged for v6.1-rc1)",
            "all with CONFIG_HIGHMEM",
            "kmap_to_page() looked an address up in pkmap_page_table and otherwise returned virt_to_page(). Since 5.11 " +
            "kmap_local_page() keeps its mappings in a per-task array in the fixmap, so kmap_to_page() of such an address " +
            "returned an unrelated page. The fix scans the calling task's kmap_local entries (and WARNs once on both kmap " +
            "paths, as kmap_to_page() is to be removed). The variant drops the scan: local-handoff's producer hands over " +
            "kmap_to_page() of its mapping and the consumer reads another page.")
        { Verified = "a helper session's reading of akpm's pull \"mm-stable-2022-10-13\" (tip ef6e06b2ef87077104d1145a0fd452ff8dbbc4b7, merged for v6.1-rc1) and of the V2 patch mail (Message-ID 20221006040555.1502679-1-ira.weiny@intel.com: message and diff)" },
    };

    /// <summary>kmap_to_page()'s kmap_local range test as merged: FIX_KMAP_BEGIN's own page is left out.</summary>
    public static BugVariant KmapToPageSkipsBegin { get; } = new("kmap-to-page-skips-begin",
        "kmap_to_page() as ef6e06b2ef87 merged it tests a kmap_local address with base >= __fix_to_virt(FIX_KMAP_END) && " +
        "base < __fix_to_virt(FIX_KMAP_BEGIN); the fixmap grows down, so that leaves out FIX_KMAP_BEGIN's own page, the " +
        "first kmap_local slot of CPU0, which falls through to virt_to_page(). Interleaving: none needed — the producer on " +
        "CPU0 holds slot 0 when it calls kmap_to_page().",
        BugKind.AssertionFailure, "wrong page from kmap_to_page", ["local-handoff"])
    { Switches = "__kmap_to_page (Local/KmapLocal.KmapToPage.cs): the kmap_local range's upper bound is strict, as merged (not a historic fix: no later change found)" };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [LocalNoMigrateDisable, LocalNoPreemptDisable, SchedOutTouchesIdx, LocalAddressShared, GuardTestOnDebugHighmem, XtensaFixmapBottomUp, PteNoneGuardCheck,
        KmapPteLinearOnArm, KmapToPageMissesLocal, KmapToPageSkipsBegin];
}
