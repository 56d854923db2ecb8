namespace HighMemConcurrency.Kernel;

/// <summary>
/// Which ordering lock_page/unlock_page have (<see cref="SleepingPageLock"/>): the kernel's, by default. A variant
/// leaves out one barrier; only a memory model with store buffers can then lose a wake-up.
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
}
