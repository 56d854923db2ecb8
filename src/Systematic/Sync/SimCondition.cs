using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// A condition variable with Mesa semantics bound to one <see cref="SimLock"/>: a woken waiter re-acquires the
/// lock and must re-check its condition. Under test, which waiter a <see cref="Signal"/> wakes is a recorded
/// scheduling choice and signal→woken waiter is a happens-before edge; a signal with no waiter is lost, as in
/// the real thing.
/// </summary>
public sealed class SimCondition : ISimObject
{
    private readonly SimLock _lock;
    private long _executionId;
    private readonly List<ControlledThread> _waiters = [];

    private readonly Lock _nativeQueueLock = new();
    private readonly Queue<SemaphoreSlim> _nativeWaiters = new();

    /// <summary>Creates a condition bound to <paramref name="lockObject"/>.</summary>
    public SimCondition(SimLock lockObject, string? name = null)
    {
        _lock = lockObject ?? throw new ArgumentNullException(nameof(lockObject));
        Name = name;
    }

    /// <summary>The condition's name, or null.</summary>
    public string? Name { get; }

    /// <summary>Releases the lock (which the caller must hold), sleeps until signalled, then re-acquires it.</summary>
    public void Wait()
    {
        var current = ControlledThread.Current;
        if (!_lock.IsHeldByCurrentThread)
            throw new SynchronizationLockException($"Wait on {((ISimObject)this).Describe()} without holding {_lock}");
        if (current is null)
        {
            WaitNative();
            return;
        }
        var execution = current.Execution;
        execution.SchedulingPoint(current, OperationKind.ConditionWait, this);
        Sync(execution);
        _lock.Release(current);
        _waiters.Add(current);
        current.SetBlock(BlockKind.Condition, this);
        try
        {
            execution.SchedulingPoint(current, OperationKind.ConditionReacquire, _lock);
        }
        finally
        {
            current.ClearBlock();
        }
        _lock.Acquire(current);
    }

    /// <summary>Wakes one waiter, if any.</summary>
    public void Signal()
    {
        var current = ControlledThread.Current;
        if (current is null)
        {
            SignalNative(all: false);
            return;
        }
        var execution = current.Execution;
        execution.SchedulingPoint(current, OperationKind.ConditionSignal, this);
        Sync(execution);
        if (_waiters.Count == 0)
        {
            execution.Log.SetResult(-1);
            return;
        }
        var index = execution.NextChoice(_waiters.Count);
        var woken = _waiters[index];
        _waiters.RemoveAt(index);
        Wake(current, woken);
        execution.Log.SetResult(woken.Id);
    }

    /// <summary>Wakes every waiter.</summary>
    public void Broadcast()
    {
        var current = ControlledThread.Current;
        if (current is null)
        {
            SignalNative(all: true);
            return;
        }
        var execution = current.Execution;
        execution.SchedulingPoint(current, OperationKind.ConditionBroadcast, this);
        Sync(execution);
        execution.Log.SetResult(_waiters.Count);
        foreach (var w in _waiters) Wake(current, w);
        _waiters.Clear();
    }

    string ISimObject.Describe() => Name is null ? $"condition on {_lock}" : $"condition '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    private void Wake(ControlledThread signaller, ControlledThread waiter)
    {
        waiter.SetBlock(BlockKind.Lock, _lock);
        if (signaller.Execution.DetectDataRaces)
        {
            waiter.Clock.Join(signaller.Clock);
            signaller.Clock.Increment(signaller.Id);
        }
    }

    private void Sync(Execution execution)
    {
        if (_executionId == execution.Id) return;
        _executionId = execution.Id;
        _waiters.Clear();
    }

    private void WaitNative()
    {
        var gate = new SemaphoreSlim(0, 1);
        lock (_nativeQueueLock) _nativeWaiters.Enqueue(gate);
        _lock.Exit();
        try
        {
            gate.Wait();
        }
        finally
        {
            _lock.Enter();
        }
    }

    private void SignalNative(bool all)
    {
        lock (_nativeQueueLock)
        {
            while (_nativeWaiters.TryDequeue(out var gate))
            {
                gate.Release();
                if (!all) return;
            }
        }
    }
}
