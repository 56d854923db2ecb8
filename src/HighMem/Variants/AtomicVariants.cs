using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>The kmap_atomic bug variants — typed (spec §2.2) and stack-based (§2.4) — each with the interleaving that triggers it.</summary>
public static class AtomicVariants
{
    /// <summary>H16 (§2.4.1): a caller sleeps (a contended lock_page) while holding a typed atomic kmap.</summary>
    public static BugVariant AtomicAcrossSleep { get; } = new("atomic-across-sleep",
        "H16: lock_page (may sleep) inside a KM_USER0 section. Interleaving: task A on CPU1 holds the page lock; " +
        "task B on CPU0 maps KM_USER0 and calls lock_page, finds it locked and calls schedule() with preempt_count 1 " +
        "→ the kernel's 'BUG: scheduling while atomic' (the sleep would let another CPU0 task reuse the slot).",
        BugKind.UnhandledException, "BUG: scheduling while atomic", ["typed-preempt"])
    { Spec = "H16", Switches = "the task (Scenarios/Temporary/TypedPreemptScenario.cs): lock_page() inside the KM_USER0 section" };

    /// <summary>H16: kmap_atomic disables page faults but not preemption; another task reuses the (CPU, type) slot.</summary>
    public static BugVariant AtomicNoPreemptDisable { get; } = new("atomic-no-preempt-disable",
        "H16: kmap_atomic only bumps pagefault_disabled, not the preempt count. Interleaving: T1 maps pfn A in " +
        "(CPU0, KM_USER0) and is preempted at its next interrupt point; T2 on CPU0 maps pfn B in KM_USER0 → " +
        "BUG_ON(!pte_none) (eager clear); with migration, T1 resumes on CPU1 and touches CPU0's window (invariant 12).",
        BugKind.UnhandledException, "slot reuse: BUG_ON(!pte_none)", ["typed-preempt", "typed-migrate"])
    { Spec = "H16", Switches = "kmap_atomic/kunmap_atomic (Atomic/TypedKmapAtomic.cs): no preempt_disable()/preempt_enable()" };

    /// <summary>H7/H8: an IRQ-type slot used with IRQs on (local_save_flags instead of local_irq_save).</summary>
    public static BugVariant IrqTypeWithIrqsOn { get; } = new("irq-type-with-irqs-on",
        "H7/H8: bio_kmap_irq saves the IRQ flags instead of disabling IRQs. Interleaving: process context maps pfn A " +
        "in (CPU0, KM_BIO_SRC_IRQ) with IRQs on; the block-completion hardirq fires before the second read, maps pfn " +
        "B in the same slot and unmaps (2.6.11 leaves the PTE) → the process reads pfn B's content. With " +
        "debug_kmap_atomic (typed-irq-debug) the map itself warns.",
        BugKind.AssertionFailure, "slot reuse: wrong page content", ["typed-irq-lazy", "typed-irq-debug"])
    { Spec = "H7/H8", Switches = "bio_kmap_irq (Scenarios/Temporary/TypedIrqScenario.cs): local_save_flags() instead of local_irq_save()" };

    /// <summary>H1: stack-based kunmap_atomic pops before clearing the slot.</summary>
    public static BugVariant PopBeforeClear { get; } = new("pop-before-clear",
        "H1 (20273941f212): kunmap_atomic pops the per-CPU index before clearing the slot. Interleaving: process " +
        "context on CPU0 unmaps its top slot k, pops (depth k), an IRQ arrives before pte_clear, the handler's " +
        "kmap_atomic pushes slot k again and finds it mapped → BUG_ON(!pte_none).",
        BugKind.UnhandledException, "slot reuse: BUG_ON(!pte_none)", ["stack-nesting"])
    {
        Spec = "H1", Switches = "kunmap_atomic (Atomic/StackKmapAtomic.cs): kmap_atomic_idx_pop() before pte_clear()", AppliesTo = ["stack-nesting", "stack-depth"],
        History = new KernelFix("20273941f212", "mm: fix race in kunmap_atomic() (Peter Zijlstra, reported by Christoph Hellwig)",
            "the stack-based kmap_atomic (\"mm: stack based kmap_atomic()\"), which the fix calls new", "2.6.37 development cycle (the release not checked)",
            "every architecture with the stack-based kmap_atomic (the fix changes x86, ARM, sparc, frv, tile and others)",
            "kunmap_atomic popped its per-CPU slot index before it had cleared the slot's PTE. An interrupt between the pop " +
            "and the clear pushes the same slot in its own kmap_atomic and finds it still mapped: BUG_ON(!pte_none). The fix " +
            "reads the index with kmap_atomic_idx() and pops only when done; the variant pops first.")
        { Verified = "gerrit-public.fairphone.software, kernel/msm, commit 20273941f2129aa5a432796d98a276ed73d60782 (subject, message and diff)" },
    };

    /// <summary>H2: the depth check accepts index KM_TYPE_NR (<c>idx &gt; KM_TYPE_NR</c>).</summary>
    public static BugVariant DepthOffByOne { get; } = new("depth-off-by-one",
        "H2: BUG_ON(idx > KM_TYPE_NR) lets index KM_TYPE_NR through; on CPU0 that is CPU1's slot 0. Interleaving: " +
        "CPU0 nests process (2 mappings) + softirq + a hardirq on top of the softirq, pushing index KM_TYPE_NR: the " +
        "fixed check stops it with BUG, the broken one installs the PTE of CPU1's slot 0 (invariant 17: windows " +
        "disjoint), which CPU1 may be using (BUG_ON(!pte_none) or a foreign page on either side).",
        BugKind.AssertionFailure, "cross-CPU window collision (invariant 17)", ["stack-overflow"])
    { Spec = "H2", Switches = "kmap_atomic_idx_push (Atomic/StackKmapAtomic.cs): BUG_ON(idx > KM_TYPE_NR) instead of >=" };

    /// <summary>H17: a caller unmaps the older of two nested mappings first.</summary>
    public static BugVariant KunmapOutOfOrder { get; } = new("kunmap-out-of-order",
        "H17: the caller unmaps A while B (mapped after A) is on top. kunmap_atomic peeks the top, clears B's slot " +
        "and pops; the caller's next use of B faults (or, if an interrupt mapped that slot meanwhile, reads a " +
        "foreign page), and A's slot is cleared by B's unmap.",
        BugKind.AssertionFailure, "oops or wrong page through a dead slot", ["stack-nesting"])
    { Spec = "H17", Switches = "the task (Scenarios/Temporary/StackNestingScenario.cs): kunmap_atomic(a) before kunmap_atomic(b)" };

    /// <summary>debug_kmap_atomic checks the type before kmap_atomic's lowmem return (2.6.25 x86, bugzilla 10318).</summary>
    public static BugVariant DebugKmapAtomicLowmem { get; } = new("debug-kmap-atomic-lowmem",
        "kmap_atomic_prot runs debug_kmap_atomic_prot(type) before its !PageHighMem early return, so a lowmem page, which " +
        "takes no slot, is judged by the slot's rules. Interleaving: the network softirq allocates a zeroed lowmem page " +
        "(neigh_hash_alloc's __GFP_ZERO); prep_zero_page's clear_highpage maps it with KM_USER0, a type softirq may not " +
        "use → a false WARN.",
        BugKind.AssertionFailure, "WARN: KM_USER0 from softirq for a lowmem page", ["typed-irq-debug"])
    {
        Switches = "kmap_atomic (Atomic/TypedKmapAtomic.cs, as x86 kmap_atomic_prot had it in 2.6.25): debug_kmap_atomic(type) before pagefault_disable() and the lowmem return",
        History = new KernelFix("linux-mm/netdev thread of 25 Mar 2008 on kernel bugzilla 10318 (Message-Id 20080325105750.ff913a83.akpm@linux-foundation.org)",
            "WARNING at arch/x86/mm/highmem_32.c kmap_atomic_prot (Pawel Staszewski's report; Andrew Morton's diagnosis and patch, Eric Dumazet's culprit)",
            "77d04bd957dd (neigh_hash_alloc switched to __get_free_pages(GFP_ATOMIC | __GFP_ZERO)) against x86's debug_kmap_atomic_prot()",
            "2.6.25 development cycle (the merged commit not found)", "x86-32 with CONFIG_DEBUG_HIGHMEM",
            "A router's ARP processing in the network softirq grew the neighbour hash past a page, and neigh_hash_alloc " +
            "allocated it with __GFP_ZERO; prep_zero_page's clear_highpage calls kmap_atomic(page, KM_USER0), and x86's " +
            "debug_kmap_atomic_prot warned that softirq used KM_USER0 — which process context on the same CPU may hold. " +
            "The page was lowmem, so no slot was used: Andrew Morton's patch moved the check after the !PageHighMem return. " +
            "The variant checks first; typed-irq-debug's softirq zeroes a lowmem page the same way.")
        { Verified = "a helper session's reading of the thread's mails (Message-Ids 20080325105750.ff913a83.akpm@linux-foundation.org and 47E9482B.7050005@cosmosbay.com: the report, the diagnosis and the proposed diff); the mainline commit was not found" },
    };

    /// <summary>ARM's kmap_atomic of a page with a lazily kept pkmap mapping takes a fresh fixmap alias on a VIVT cache.</summary>
    public static BugVariant KmapAtomicIgnoresPkmap { get; } = new("kmap-atomic-ignores-pkmap",
        "ARM's kmap_atomic maps a highmem page at its fixmap slot even when the page still has a pkmap mapping; on a " +
        "VIVT data cache the two addresses are two cache lines. Interleaving: a task kmaps a page, writes it (the data " +
        "sits dirty in the line of the pkmap address), kunmaps it (the mapping is kept lazily, nothing is flushed); then " +
        "kmap_atomic of the same page, before a pkmap wrap flushes the caches, reads memory's old content through the " +
        "new alias.",
        BugKind.AssertionFailure, "stale data through a VIVT alias", ["vivt-alias"])
    {
        Switches = "kmap_atomic (Atomic/ArmKmapAtomic.cs, arch/arm/mm/highmem.c): no kmap_high_get() before taking the fixmap slot",
        History = new KernelFix("not verified: ARM kmap_atomic() reuses a page's pkmap mapping (Nicolas Pitre, 2009, Cc stable)",
            "the subject not verified: kmap_atomic uses kmap_high_get() when the page already has a pkmap mapping",
            "ARM's highmem support (2009), whose kmap_atomic always took a fixmap slot", "2009 (the release not verified)",
            "ARM with a VIVT data cache (ARCH_NEEDS_KMAP_HIGH_GET)",
            "A page kmap()ed and written leaves dirty lines in a VIVT cache under its pkmap address; kunmap() keeps the mapping " +
            "lazily and flushes nothing. kmap_atomic() of the same page took a fixmap address, a different cache index, and " +
            "read memory's old data (the author saw it happen \"extremely\" often). The fix uses the existing pkmap address, " +
            "pinned with kmap_high_get(), and kunmap_atomic() drops the pin with kunmap_high(). The variant takes the fixmap slot.")
    };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } =
        [AtomicAcrossSleep, AtomicNoPreemptDisable, IrqTypeWithIrqsOn, PopBeforeClear, DepthOffByOne, KunmapOutOfOrder, DebugKmapAtomicLowmem, KmapAtomicIgnoresPkmap];
}
