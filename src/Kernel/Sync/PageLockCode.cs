namespace HighMemConcurrency.Kernel;

/// <summary>
/// Which ordering lock_page/unlock_page have (<see cref="SleepingPageLock"/>): the kernel's, by default. A variant
/// leaves out one barrier or release; only a weak memory model (<c>tso</c>, <c>arm</c>) can then lose a wake-up or
/// an update.
/// </summary>
public sealed record PageLockCode
{
    /// <summary>The kernel's code: every barrier in place.</summary>
    public static PageLockCode Kernel { get; } = new();

    /// <summary>
    /// unlock_page has its barrier between clearing PG_locked and wake_up_page's lockless waitqueue_active() test
    /// (smp_mb__after_clear_bit(), later smp_mb__after_atomic()); false: the test can pass the clearing store.
    /// </summary>
    public bool BarrierBeforeWake { get; init; } = true;

    /// <summary>
    /// unlock_page clears PG_locked with release semantics (clear_bit_unlock(): everything the holder did under the
    /// lock is seen by the next holder, whose test_and_set_bit_lock() acquires it); false: a plain clear_bit(), which
    /// orders nothing, so a weak CPU can let the next holder read the page's state from before the last section.
    /// </summary>
    public bool ReleaseOnUnlock { get; init; } = true;

    /// <summary>
    /// lock_page's wait loop queues the task with prepare_to_wait(), whose set_current_state() is a full barrier
    /// between queueing and testing PG_locked again; false: the loop open-codes it as add_wait_queue() and
    /// __set_current_state(), so the test can be satisfied from before the queueing is visible to the unlocker's
    /// waitqueue_active().
    /// </summary>
    public bool BarrierInWait { get; init; } = true;
}
