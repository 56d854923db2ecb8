using System.Collections.Immutable;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// wait_queue_head_t with non-exclusive waiters: its own IRQ-safe lock guards the list; <see cref="Active"/>
/// (waitqueue_active) is a lockless read of whether anyone is queued, exact only when the caller holds whatever lock
/// the waiters also hold while queueing (kmap_lock for pkmap_map_wait), or when a full barrier on each side orders
/// it (include/linux/wait.h: the waker's smp_mb() before it, the sleeper's set_current_state() after queueing).
/// Queueing is a plain store of the list head under the queue's lock, as list_add's WRITE_ONCE is, not a
/// read-modify-write: it orders nothing by itself under a weak memory model.
/// </summary>
public sealed class WaitQueueHead
{
    private readonly SpinLock _lock;
    private readonly SimVar<ImmutableList<KernelTask>> _entries;
    private readonly SimAtomic _count;
    private readonly Machine _machine;

    /// <summary>Creates the queue (<c>DECLARE_WAIT_QUEUE_HEAD</c>).</summary>
    public WaitQueueHead(Machine machine, string name)
    {
        _machine = machine ?? throw new ArgumentNullException(nameof(machine));
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _lock = new SpinLock(machine, $"{name}.lock");
        _entries = new SimVar<ImmutableList<KernelTask>>(ImmutableList<KernelTask>.Empty, $"{name}.list");
        _count = new SimAtomic(0, $"{name}.count");
        machine.Track(this);
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>The queued tasks (a peek, for invariant checks and reports).</summary>
    public ImmutableList<KernelTask> Waiters => _entries.Peek;

    /// <summary>add_wait_queue(): queues <paramref name="task"/> (non-exclusive).</summary>
    public void Add(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var flags = _lock.LockIrqSave();
        var list = _entries.Read().Add(task);
        _entries.Write(list);
        _count.Store(list.Count);   // list_add: WRITE_ONCE(head->next, new)
        task.WaitingOn = Name;
        _lock.UnlockIrqRestore(flags);
    }

    /// <summary>remove_wait_queue().</summary>
    public void Remove(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var flags = _lock.LockIrqSave();
        var list = _entries.Read();
        if (list.Contains(task))
        {
            list = list.Remove(task);
            _entries.Write(list);
            _count.Store(list.Count);   // list_del
        }
        task.WaitingOn = null;
        _lock.UnlockIrqRestore(flags);
    }

    /// <summary>waitqueue_active(): is anyone queued? One lockless read (list_empty's READ_ONCE of the head).</summary>
    public bool Active() => _count.Load() != 0;

    /// <summary>
    /// wq_has_sleeper(): smp_mb() then waitqueue_active() — the waker's side of the pairing include/linux/wait.h asks
    /// for when the condition was stored without the queue's lock.
    /// </summary>
    public bool HasSleeper()
    {
        Sim.MemoryBarrier();
        return Active();
    }

    /// <summary>
    /// prepare_to_wait(): under the queue's lock, queue <paramref name="task"/> unless it is queued already and set its
    /// state with set_current_state() (a full barrier), so that the condition it tests next is read after a waker can
    /// see it queued.
    /// </summary>
    public void PrepareToWait(KernelTask task, TaskState state)
    {
        ArgumentNullException.ThrowIfNull(task);
        var flags = _lock.LockIrqSave();
        var list = _entries.Read();
        if (!list.Contains(task))
        {
            list = list.Add(task);
            _entries.Write(list);
            _count.Store(list.Count);
        }
        task.WaitingOn = Name;
        task.SetCurrentState(state);
        _lock.UnlockIrqRestore(flags);
    }

    /// <summary>finish_wait(): __set_current_state(TASK_RUNNING), then take <paramref name="task"/> off the queue if it is still on it.</summary>
    public void FinishWait(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.SetCurrentStateWithoutBarrier(TaskState.Running);
        Remove(task);
    }

    /// <summary>
    /// wait_event() (TASK_UNINTERRUPTIBLE): until <paramref name="condition"/> holds, prepare_to_wait, test it, and
    /// schedule() if it does not; then finish_wait. The caller is <paramref name="task"/>, which may sleep.
    /// </summary>
    public void WaitEvent(KernelTask task, Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(condition);
        if (condition()) return;
        while (true)
        {
            PrepareToWait(task, TaskState.Uninterruptible);
            if (condition()) break;
            task.Schedule();
        }
        FinishWait(task);
    }

    /// <summary>wake_up(): makes every queued task runnable (non-exclusive); they stay queued until they remove themselves.</summary>
    public void WakeUp()
    {
        _machine.Perturb(PerturbationPoint.BeforeWakeUp);
        var flags = _lock.LockIrqSave();
        var waiters = _entries.Read();
        if (Sim.IsControlled) Sim.Note($"wake_up({Name}): {waiters.Count} task(s)");
        foreach (var task in waiters) task.WakeUp();
        _lock.UnlockIrqRestore(flags);
        _machine.Perturb(PerturbationPoint.AfterWakeUp);
    }
}
