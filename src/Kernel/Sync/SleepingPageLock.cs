using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// lock_page / unlock_page: a sleeping lock (a bit plus a wait queue). A contended lock_page sleeps in schedule(),
/// which the kernel refuses in atomic context ("scheduling while atomic"). No might_sleep() here, as in a
/// non-debug build: only an actually contended acquisition shows the mistake.
/// </summary>
public sealed class SleepingPageLock
{
    private readonly SimAtomic _locked;
    private readonly WaitQueueHead _queue;
    private readonly Machine _machine;
    private readonly PageLockCode _code;

    /// <summary>Creates the lock on <paramref name="machine"/>, with the kernel's ordering unless <paramref name="code"/> says otherwise.</summary>
    public SleepingPageLock(Machine machine, string name, PageLockCode? code = null)
    {
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        _code = code ?? PageLockCode.Kernel;
        _locked = new SimAtomic(0, $"{name}.PG_locked");
        _queue = new WaitQueueHead(machine, $"{name}.wait");
    }

    /// <summary>
    /// lock_page(): the caller is a kernel task. test_and_set_bit_lock() (a value-returning atomic here, a full barrier:
    /// stronger than the kernel's acquire); when it fails, prepare_to_wait (queue, then set_current_state(
    /// TASK_UNINTERRUPTIBLE), a full barrier), test PG_locked again, sleep only if it is still set, and finish_wait —
    /// __wait_on_bit_lock's loop.
    /// </summary>
    public void Lock()
    {
        var task = KernelTask.Current ?? throw new InvalidOperationException("lock_page outside a kernel task");
        _machine.Perturb(PerturbationPoint.BeforeLock);
        while (_locked.CompareExchange(1, 0) != 0)
        {
            if (_code.BarrierInWait) _queue.PrepareToWait(task, TaskState.Uninterruptible);
            else
            {
                // prepare_to_wait open-coded with __set_current_state(): nothing orders the test below after the queueing
                _queue.Add(task);
                task.SetCurrentStateWithoutBarrier(TaskState.Uninterruptible);
            }
            if (_locked.Load() != 0) task.Schedule();
            _queue.FinishWait(task);
        }
        _machine.Perturb(PerturbationPoint.LockAcquired);   // a delay here holds the page lock longer
    }

    /// <summary>
    /// unlock_page(): clear PG_locked, then the barrier mm/filemap.c puts after it (smp_mb__after_clear_bit(), later
    /// smp_mb__after_atomic()), so that the cleared bit is visible before wake_up_page looks for sleepers — with
    /// __wake_up_bit's lockless waitqueue_active() test (kernel/sched/wait_bit.c): without the barrier, under TSO,
    /// the test can see an empty queue while the cleared bit still waits in the store buffer.
    /// </summary>
    public void Unlock()
    {
        _machine.Perturb(PerturbationPoint.BeforeUnlock);
        if (_code.ReleaseOnUnlock) _locked.StoreRelease(0);   // clear_bit_unlock()
        else _locked.Store(0);                                // clear_bit()
        if (_code.BarrierBeforeWake) Sim.MemoryBarrier();
        if (_queue.Active()) _queue.WakeUp();
    }
}
