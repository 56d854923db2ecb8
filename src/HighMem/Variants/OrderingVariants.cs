using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// Mistakes only the hardware makes: a barrier or a release left out of lock_page/unlock_page
/// (Kernel/Sync/SleepingPageLock.cs, <see cref="Kernel.PageLockCode"/>), which typed-preempt's tasks take between
/// their atomic sections and under which they update the shared page's state. Under sequential consistency every
/// interleaving of them is correct. Under x86's store buffers (<see cref="MemoryModel.Tso"/>) a store waits in its
/// CPU's buffer while a later load passes it; under <see cref="MemoryModel.Arm"/> a load may also read an older
/// store than the newest, unless a barrier, a release/acquire pair or a lock orders it. A wake-up or an update is lost.
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

    /// <summary>unlock_page clearing PG_locked with clear_bit() instead of clear_bit_unlock(): no release.</summary>
    public static BugVariant UnlockPageNoRelease { get; } = new("unlock-page-no-release",
        "unlock_page clears PG_locked with clear_bit(), which Documentation/atomic_bitops.txt lists among the unordered " +
        "RMW operations, instead of clear_bit_unlock() (RELEASE; since 2.6.28, before that a fully ordered " +
        "test_and_clear_bit between smp_mb__before_clear_bit() and smp_mb__after_clear_bit()). Interleaving (arm): task A " +
        "adds one to the page's state under the lock and clears the bit; task B's test_and_set_bit_lock reads the bit " +
        "clear, but nothing carried A's update with it, and B reads the state from before A's section → lost update. " +
        "Never under SC or TSO (x86 stores are releases).",
        BugKind.AssertionFailure, "lost update under lock_page (unlock without release)", ["typed-preempt"])
    {
        MemoryModel = MemoryModel.Arm,
        Switches = "unlock_page (Kernel/Sync/SleepingPageLock.cs): clear_bit() instead of clear_bit_unlock()",
        AppliesTo = ["typed-preempt", "typed-migrate"],
    };

    /// <summary>lock_page's wait loop with __set_current_state() instead of set_current_state().</summary>
    public static BugVariant LockPageWaitNoBarrier { get; } = new("lock-page-wait-no-barrier",
        "lock_page's wait loop open-codes prepare_to_wait() as add_wait_queue() and __set_current_state(), without the " +
        "full barrier of set_current_state() that include/linux/sched.h requires before the sleeper tests its condition " +
        "again. Interleaving (arm): task B queues itself under the queue's lock and reads PG_locked still set from before " +
        "A's unlock; A clears the bit, passes its smp_mb and its waitqueue_active() reads the queue from before B's " +
        "queueing, empty: no wake-up; B sleeps forever → lost wake-up. Never under SC; never under this tool's TSO either, " +
        "whose lock release is a full barrier (on x86 the queue's unlock is a plain store, which could be passed too).",
        BugKind.Deadlock, "deadlock (lost wake-up: the sleeper tested before its queueing was visible)", ["typed-preempt"], "pos")
    {
        MemoryModel = MemoryModel.Arm,
        Switches = "lock_page (Kernel/Sync/SleepingPageLock.cs): add_wait_queue() and __set_current_state() instead of prepare_to_wait() in the wait loop",
        AppliesTo = ["typed-preempt", "typed-migrate"],
    };

    /// <summary>All of them, in listing order (declared after the variants: static initialisers run in text order).</summary>
    public static IReadOnlyList<BugVariant> All { get; } = [UnlockPageNoBarrier, UnlockPageNoRelease, LockPageWaitNoBarrier];

    /// <summary>The page-lock code a scenario runs under <paramref name="variant"/>: the kernel's unless it is one of these.</summary>
    public static Kernel.PageLockCode PageLockCodeOf(BugVariant? variant) =>
        variant == UnlockPageNoBarrier ? Kernel.PageLockCode.Kernel with { BarrierBeforeWake = false }
        : variant == UnlockPageNoRelease ? Kernel.PageLockCode.Kernel with { ReleaseOnUnlock = false }
        : variant == LockPageWaitNoBarrier ? Kernel.PageLockCode.Kernel with { BarrierInWait = false }
        : Kernel.PageLockCode.Kernel;
}
