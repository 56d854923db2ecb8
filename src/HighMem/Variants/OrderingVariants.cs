using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// Mistakes only the hardware makes: a barrier left out of a wait/wake-up pair. Under sequential consistency every
/// interleaving of them is correct; under x86's store buffers (<see cref="MemoryModel.Tso"/>) a store waits in its
/// CPU's buffer while a later load passes it, and a wake-up is lost. The first sits in unlock_page
/// (Kernel/Sync/SleepingPageLock.cs, <see cref="Kernel.PageLockCode"/>), which typed-preempt's tasks take between
/// their atomic sections.
/// </summary>
public static class OrderingVariants
{
    /// <summary>unlock_page without its barrier before wake_up_page's lockless waitqueue_active() test.</summary>
    public static BugVariant UnlockPageNoBarrier { get; } = new("unlock-page-no-barrier",
        "unlock_page clears PG_locked and calls wake_up_page without smp_mb__after_clear_bit() (smp_mb__after_atomic()) " +
        "between them; __wake_up_bit tests waitqueue_active() locklessly. Interleaving (TSO): task A's cleared bit waits " +
        "in CPU1's store buffer while A finds the wait queue empty and wakes no one; task B queues itself, sets its " +
        "state (a full barrier) and still reads PG_locked set; it sleeps, and nobody will wake it → lost wake-up. " +
        "Never under SC.",
        BugKind.Deadlock, "deadlock (lost wake-up: waitqueue_active passed the unlock)", ["typed-preempt"])
    {
        MemoryModel = MemoryModel.Tso,
        Switches = "unlock_page (Kernel/Sync/SleepingPageLock.cs): no smp_mb__after_atomic() between clearing PG_locked and wake_up_page()",
        AppliesTo = ["typed-preempt", "typed-migrate"],
    };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [UnlockPageNoBarrier];
}
