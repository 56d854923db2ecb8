using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>The permanent-mapping (pkmap, spec §1) bug variants, in listing order.</summary>
public static class PkmapVariants
{
    /// <summary>The x86 pkmap scenarios (IPI TLB shootdowns, no kmap from interrupts).</summary>
    private static readonly string[] X86 = ["distinct-pages", "shared-page", "few-slots", "slot-hog", "wrap-readers", "revive-wrap"];

    /// <summary>The ARM pkmap scenario (ARCH_NEEDS_KMAP_HIGH_GET: IRQ handlers, broadcast TLB maintenance).</summary>
    private static readonly string[] Arm = ["irq-page-address"];

    private static readonly string[] Every = [.. X86, .. Arm];

    /// <summary>H14 i.</summary>
    public static BugVariant EnqueueAfterUnlock { get; } = new("enqueue-after-unlock",
        "H14 i: map_new_virtual sets TASK_UNINTERRUPTIBLE and joins pkmap_map_wait after unlock_kmap(); a kunmap in between sees an empty queue and wakes nobody",
        BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog"])
    { Spec = "H14 i", Switches = "map_new_virtual (Pkmap.KmapHigh.cs): add_wait_queue after unlock_kmap()", AppliesTo = Every };

    /// <summary>H14 ii.</summary>
    public static BugVariant WakeCheckOutsideLock { get; } = new("wake-check-outside-lock",
        "H14 ii: kunmap_high samples waitqueue_active() without kmap_lock (modelled as the sample a lockless load may be reordered to: before the critical section)",
        BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog"])
    { Spec = "H14 ii", Switches = "kunmap_high (Pkmap.KunmapHigh.cs): waitqueue_active() sampled before lock_kmap_any()", AppliesTo = Every };

    /// <summary>H14 iii.</summary>
    public static BugVariant WakeOnZero { get; } = new("wake-on-zero",
        "H14 iii: kunmap_high checks for sleepers when a count reaches 0 — which never happens — instead of 1",
        BugKind.Deadlock, "deadlock (lost wakeup)", ["slot-hog", "few-slots"])
    { Spec = "H14 iii", Switches = "kunmap_high (Pkmap.KunmapHigh.cs): case 1 becomes case 0", AppliesTo = Every };

    /// <summary>H14 iv.</summary>
    public static BugVariant NoRecheckAfterWake { get; } = new("no-recheck-after-wake",
        "H14 iv: after waking, map_new_virtual rescans without re-checking page_address(); a page mapped meanwhile gets a second slot",
        BugKind.AssertionFailure, "invariant P2/P3 (page in two slots)", ["slot-hog", "few-slots"])
    { Spec = "H14 iv", Switches = "map_new_virtual (Pkmap.KmapHigh.cs): no page_address() re-check after schedule()", AppliesTo = Every };

    /// <summary>H14 v.</summary>
    public static BugVariant NoBudgetReset { get; } = new("no-budget-reset",
        "H14 v: the scan budget is not reset after the wrap-flush, so a task sleeps although the flush freed a slot",
        BugKind.AssertionFailure, "invariant P8 (sleep with a free slot)", ["few-slots", "slot-hog"])
    { Spec = "H14 v", Switches = "map_new_virtual (Pkmap.KmapHigh.cs): count = LAST_PKMAP left out after flush_all_zero_pkmaps()", AppliesTo = Every };

    /// <summary>The missing TLB shootdown.</summary>
    public static BugVariant SkipTlbFlush { get; } = new("skip-tlb-flush",
        "flush_all_zero_pkmaps clears the PTEs but never calls flush_tlb_kernel_range: other CPUs keep stale translations of reusable slots",
        BugKind.AssertionFailure, "invariant P7 (stale TLB) / corruption", ["wrap-readers"])
    { Switches = "flush_all_zero_pkmaps (Pkmap.Flush.cs): no flush_tlb_kernel_range()", AppliesTo = Every };

    /// <summary>H3b.</summary>
    public static BugVariant DropLockAroundFlush { get; } = new("drop-lock-around-flush",
        "H3b: kmap_lock is dropped around flush_tlb_kernel_range, so slots at 0 can be reused while TLBs still cache them",
        BugKind.AssertionFailure, "invariant P7 (stale TLB) / corruption", ["wrap-readers"])
    {
        Spec = "H3b", Switches = "flush_all_zero_pkmaps (Pkmap.Flush.cs): unlock_kmap() … lock_kmap() around flush_tlb_kernel_range()", AppliesTo = Every,
        History = new KernelFix("LKML thread, Message-ID 1724083806-21956-1-git-send-email-zhang.chuna@h3c.com",
            "mm: Give kmap_lock before call flush_tlb_kernel_rang, avoid kmap_high deadlock (v3, zhangchun, Aug 2024)",
            "the proposal itself: its fix for H3", "not merged (Andrew Morton asked why dropping the lock is safe)", "ARM SMP",
            "The proposal releases kmap_lock just before flush_tlb_kernel_range and takes it again after, to avoid the IPI " +
            "deadlock. Meanwhile another CPU takes the lock, picks the slot just set to 0 for another page and installs its PTE, " +
            "while a third CPU that has not yet handled the flush still caches the old translation and reads the old page. " +
            "The variant applies the proposal; wrap-readers finds the stale read."),
    };

    /// <summary>H3 (needs IPI shootdowns, which ARM's broadcast TLB maintenance does not use).</summary>
    public static BugVariant IrqOffLockIpiFlush { get; } = new("irq-off-lock-ipi-flush",
        "H3: lock_kmap() disables IRQs (ARM spin_lock_irq) while flush_tlb_kernel_range waits for IPIs: a CPU spinning on kmap_lock with IRQs off never acknowledges",
        BugKind.Deadlock, "deadlock (IPI wait under IRQ-disabled lock)", ["wrap-readers"])
    {
        Spec = "H3", Switches = "lock_kmap (Pkmap.cs KmapLockDisablesIrqs): spin_lock_irq on an IPI-flushing machine", AppliesTo = X86,
        History = new KernelFix("linux-arm-kernel, Jan 2011, and LKML, Aug 2024 (Message-ID 1724083806-21956-1-git-send-email-zhang.chuna@h3c.com)",
            "HIGHMEM is broken when working in SMP V6 mode (Russell King); mm: Give kmap_lock before call flush_tlb_kernel_rang, avoid kmap_high deadlock (zhangchun)",
            "3297e760776a, which takes kmap_lock with IRQs off under ARCH_NEEDS_KMAP_HIGH_GET (the 2024 patch's Fixes: tag)",
            "not merged; ARM leaves ARCH_NEEDS_KMAP_HIGH_GET undefined on SMP with V6 TLB maintenance instead", "ARM SMP (IPI TLB shootdowns)",
            "CPU0 in kmap_high holds kmap_lock, wraps the hand and, in flush_all_zero_pkmaps, sends TLB-flush IPIs and waits " +
            "for every CPU to acknowledge. CPU1 spins on kmap_lock in lock_kmap with its IRQs disabled, so it never takes the " +
            "IPI: neither CPU can go on. The variant takes kmap_lock with IRQs off on a machine whose flushes wait for IPIs."),
    };

    /// <summary>H4 (an interrupt-handler variant: ARM scenario only).</summary>
    public static BugVariant UnpinnedPageAddress { get; } = new("unpinned-page-address",
        "H4: the interrupt handler uses page_address() instead of kmap_high_get(): nothing pins the slot, which a wrap on another CPU flushes and recycles",
        BugKind.AssertionFailure, "corruption (recycled or unmapped slot)", ["irq-page-address"])
    {
        Spec = "H4", Switches = "the IRQ handler (Scenarios/Permanent/IrqPageAddressWorkload.cs): page_address() instead of kmap_high_get()", AppliesTo = Arm,
        History = new KernelFix("3297e760776a", "highmem: atomic highmem kmap page pinning (Nicolas Pitre, 2009)",
            "ARM's DMA cache maintenance of highmem pages by virtual address", "2009 (the release not checked)",
            "ARM (ARCH_NEEDS_KMAP_HIGH_GET)",
            "Code that must not sleep (DMA mapping, cache maintenance, an interrupt handler) reads page_address() of a " +
            "highmem page whose pkmap slot is only lazily kept (count 1). A kmap on another CPU wraps the hand, flushes the " +
            "slot to 0 and may hand it to another page, so the maintenance works on the wrong page or an unmapped address. " +
            "The fix adds kmap_high_get(), which pins the slot under the IRQ-safe lock_kmap_any(); the variant's handler " +
            "uses page_address() instead.")
        { Verified = "in part, by a helper session: the subject and the 12-digit hash as later Fixes: tags cite them (the 2024 kmap_lock deadlock patches), and the patch as posted (Nicolas Pitre, Mar 2009, Message-ID alpine.LFD.2.00.0903071731120.30483@xanadu.home: message and diff); the merged commit itself and its release not read" },
    };

    /// <summary>H13.</summary>
    public static BugVariant SetPageAddressUnlocked { get; } = new("set-page-address-unlocked",
        "H13: map_new_virtual calls set_page_address() after dropping kmap_lock; others see a mapped slot without its page address",
        BugKind.AssertionFailure, "invariant P2 (slot without page address)", ["shared-page"])
    { Spec = "H13", Switches = "map_new_virtual (Pkmap.KmapHigh.cs): set_page_address() after unlock_kmap()", AppliesTo = Every };

    /// <summary>H15.</summary>
    public static BugVariant DoubleKunmap { get; } = new("double-kunmap",
        "H15: a client kunmaps a page twice for one kmap; kunmap_high must BUG rather than let a count reach 0 with a live PTE",
        BugKind.UnhandledException, "BUG (kunmap_high)", ["distinct-pages"])
    { Spec = "H15", Switches = "the client (Scenarios/Permanent/PkmapClient.cs): a second kunmap()", AppliesTo = Every };

    /// <summary>kmap in hardirq (an interrupt-handler variant: ARM scenario only).</summary>
    public static BugVariant KmapFromIrq { get; } = new("kmap-from-irq",
        "the interrupt handler calls kmap(), which may sleep, instead of kmap_high_get()",
        BugKind.AssertionFailure, "invalid context (might_sleep)", ["irq-page-address"])
    { Switches = "the IRQ handler (Scenarios/Permanent/IrqPageAddressWorkload.cs): kmap() instead of kmap_high_get()", AppliesTo = Arm };

    /// <summary>H9.</summary>
    public static BugVariant NestedKmap { get; } = new("nested-kmap",
        "H9: a client asks for a second kmap while holding one; with more such clients than slots every slot is held and all sleep",
        BugKind.Deadlock, "deadlock (pool exhaustion)", ["few-slots"])
    {
        Spec = "H9", Switches = "the client (Scenarios/Permanent/PkmapClient.cs): kmap() of a second page before kunmap() of the first", AppliesTo = Every,
        History = new KernelFix("21fc61c73c39", "don't put symlink bodies in pagecache into highmem (Al Viro)",
            "page_follow_link_light(), which kept a kmap of the symlink's page for the whole path walk", "the release not checked",
            "all with highmem",
            "A path walk through a pagecache symlink held a kmap of the symlink's page for as long as the walk lasted; " +
            "\"allowing to hold an arbitrary number of kmaps for long is a great way to deadlocking the system\" (the fix). " +
            "With as many long-held kmaps as pkmap slots every slot is held, and any further kmap, a holder's included, " +
            "sleeps on pkmap_map_wait for a kunmap that never comes. The variant's clients ask for a second kmap while holding one.")
        { Verified = "gerrit-public.fairphone.software, kernel/msm-4.9, commit 21fc61c73c3903c4c312d0802da01ec2b323d174 (subject and message)" },
    };

    /// <summary>A page attribute change without kmap_flush_unused(): the lazily kept pkmap PTE aliases the new memory type.</summary>
    public static BugVariant NoKmapFlushUnused { get; } = new("no-kmap-flush-unused",
        "change_page_attr_set_clr (set_pages_array_uc) changes a highmem page's memory type without kmap_flush_unused(). " +
        "Interleaving: a driver kmaps a page, kunmaps it (count 1: the write-back pkmap PTE stays until the next wrap) and " +
        "makes it uncached before any wrap: the page is mapped write-back and uncached at once.",
        BugKind.AssertionFailure, "PAT: conflicting memory types", ["pat-alias"])
    {
        Switches = "change_page_attr_set_clr (Pkmap/PageAttr.cs): no kmap_flush_unused() before the change",
        History = new KernelFix("5843d9a4d0ba", "x86, pat: avoid highmem cache attribute aliasing",
            "x86 PAT support, which let any page's memory type change (2008; not checked)", "2008 (the release not checked)",
            "x86-32 with PAT and CONFIG_HIGHMEM",
            "Highmem can leave a page's PTE and TLB entries in place after kunmap, even after the page is freed; PAT may change " +
            "the cache attributes of any physical page, so the lazily kept pkmap mapping becomes a write-back alias of a page " +
            "meant to be uncached. The fix flushes unused kmaps (kmap_flush_unused) before an attribute change — today's " +
            "change_page_attr_set_clr still does, \"Must avoid aliasing mappings in the highmem code\" — and makes " +
            "flush_all_zero_pkmaps flush the TLBs only when it cleared something (need_flush), as the model's always did. " +
            "The variant leaves the kmap_flush_unused() call out.")
        { Verified = "a helper session's reading of the commit's mm/highmem.c diff and message (gerrit mirror of kernel/msm-4.9, 5843d9a4d0ba89719916c8f07fc9c57b7126be6d); the kmap_flush_unused() call in copies of arch/x86/mm/pat/set_memory.c; the author and the x86 side of the diff not checked" },
    };

    /// <summary>kmap takes any pkmap slot, whatever its cache colour, on a machine whose data cache aliases.</summary>
    public static BugVariant KmapColourBlind { get; } = new("kmap-colour-blind",
        "map_new_virtual takes the next free pkmap slot whatever its colour, on a machine whose VIPT data cache aliases " +
        "(DCACHE_N_COLORS 2). Interleaving: none needed — a driver writes a page through kmap at an address of the other " +
        "colour, kunmaps it and calls flush_dcache_page, which cleans the page's own colour; the dirty line of the other " +
        "colour stays, and the device reads memory's old data.",
        BugKind.AssertionFailure, "stale data through an alias of another colour", ["colour-alias"])
    {
        Switches = "map_new_virtual/kunmap_high (Pkmap/Pkmap.Colour.cs): the generic one-colour hooks although the cache has colours",
        History = new KernelFix("15de36a4c3cf", "mm/highmem: make kmap cache coloring aware (Max Filippov; after Leonid Yegoshin's MIPS work)",
            "highmem on cores with an aliasing data cache, whose kmap ignored colours (xtensa was held to 128 MB without highmem)", "3.17 (merged for v3.17, inferred from a linux-mips mail)",
            "xtensa and MIPS with an aliasing VIPT data cache",
            "A VIPT cache whose way is larger than a page caches one frame in different places for addresses of different " +
            "colours; software must keep the colours apart or flush explicitly. Lowmem mappings already have the frame's " +
            "colour; the commit gives architectures hooks (get_pkmap_color, get_next_pkmap_nr, no_more_pkmaps, " +
            "get_pkmap_entries_count, get_pkmap_wait_queue_head) so that kmap picks a pkmap address of the page's colour and " +
            "the existing cache maintenance, which works at the frame's colour, covers it. The variant keeps the generic hooks " +
            "on colour-alias's 2-colour cache.")
        { Verified = "a helper session's reading of the commit pages (GitHub torvalds/linux and a gerrit mirror, 15de36a4c3cf33aa4e194bfbff002048aa4a21c3: message; the hooks as later copies of mm/highmem.c and xtensa's highmem.h define them)" },
    };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } =
    [
        EnqueueAfterUnlock, WakeCheckOutsideLock, WakeOnZero, NoRecheckAfterWake, NoBudgetReset, SkipTlbFlush,
        DropLockAroundFlush, IrqOffLockIpiFlush, UnpinnedPageAddress, SetPageAddressUnlocked, DoubleKunmap, KmapFromIrq, NestedKmap, NoKmapFlushUnused, KmapColourBlind,
    ];
}
