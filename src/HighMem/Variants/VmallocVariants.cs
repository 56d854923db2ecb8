using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>The classic vmalloc-area (spec §3.1) bug variants, each with the interleaving that triggers it.</summary>
public static class VmallocVariants
{
    /// <summary>The vmalloc scenarios: both have a vread reader on another CPU while vmlist changes.</summary>
    private static readonly string[] Vmalloc = ["vmalloc-churn", "vmalloc-edges"];

    /// <summary>V7: get_vm_area inserts into vmlist without vmlist_lock.</summary>
    public static BugVariant VmlistUnlockedInsert { get; } = new("vmlist-unlocked-insert",
        "V7: get_vm_area walks and inserts into vmlist without vmlist_lock. Interleaving: two CPUs run the first-fit " +
        "scan concurrently (or a reader walks the list under the lock while a writer inserts without it) → the " +
        "unordered list accesses are a data race (and can produce overlapping areas).",
        BugKind.DataRace, "data race on vmlist", ["vmalloc-churn"])
    { Spec = "V7", Switches = "get_vm_area (Vmalloc/VmList.cs): no write_lock(&vmlist_lock) around the first-fit insert", AppliesTo = Vmalloc };

    /// <summary>V7: __vunmap frees the pages before unmapping them and flushing the TLBs.</summary>
    public static BugVariant VfreePagesBeforeFlush { get; } = new("vfree-pages-before-flush",
        "V7: __vunmap frees (poisons) the pages before remove_vm_area unmaps them and flushes the TLBs. " +
        "Interleaving: CPU0's vfree frees area A's page; a reader on CPU1 walks vmlist, still finds A, and reads it " +
        "through its vmalloc address → poison (or another owner's content if the frame was reallocated).",
        BugKind.AssertionFailure, "use after free through a vmalloc address", ["vmalloc-churn"])
    { Spec = "V7", Switches = "__vunmap (Vmalloc/VmallocArea.cs): __free_page() before remove_vm_area()", AppliesTo = Vmalloc };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [VmlistUnlockedInsert, VfreePagesBeforeFlush];
}
