using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// A condition variable with Mesa semantics bound to one <see cref="SimLock"/>: a woken waiter re-acquires the
/// lock and must re-check its condition. Under test, which waiter a <see cref="Signal"/> wakes is a recorded
/// scheduling choice and signal→woken waiter is a happens-before edge; a signal with no waiter is lost, as in
/// the real thing.
/// </summary>
public sealed class SimCondition : ISimObject, ILockBoundTarget
{
    /// <summary>
    /// One sleeping thread, owned by the condition: it may go on once signalled and the lock is free. The signaller
    /// publishes its clock into <see cref="SignalClock"/>; the waiter observes it when it runs again.
    /// </summary>
    private sealed class Waiter(SimCondition condition, RuntimeThread thread) : IWaitCondition
    {
        public readonly RuntimeThread Thread = thread;
        public bool Signalled;
        public VectorClock? SignalClock;

        public bool CanProceed(RuntimeThread waiter) => Signalled && condition._lock.CanProceed(waiter);

        public string DescribeWait(RuntimeThread waiter) => Signalled
            ? ((IWaitCondition)condition._lock).DescribeWait(waiter)
            : $"waits on {((ISimObject)condition).Describe()} (no signal will come)";
    }

    private readonly SimLock _lock;
    private ExecutionStamp _stamp;
    private readonly List<Waiter> _waiters = [];   // not yet signalled, in the order they started waiting

    private readonly Lock _nativeQueueLock = new();
    private readonly Queue<SemaphoreSlim> _nativeWaiters = new();

    /// <summary>Creates a condition bound to <paramref name="lockObject"/>.</summary>
    public SimCondition(SimLock lockObject, string? name = null)
    {
        _lock = lockObject ?? throw new ArgumentNullException(nameof(lockObject));
        Name = name;
    }

    object ILockBoundTarget.Self => this;

    // Its operations release or take the lock: the dependency relation treats them as touching it.
    object ILockBoundTarget.BoundLock => _lock;

    /// <summary>The condition's name, or null.</summary>
    public string? Name { get; }

    /// <summary>Native threads parked in <see cref="Wait"/> that no signal has released yet (a peek, for tests).</summary>
    internal int NativeWaiters
    {
        get
        {
            lock (_nativeQueueLock) return _nativeWaiters.Count;
        }
    }

    /// <summary>Releases the lock (which the caller must hold), sleeps until signalled, then re-acquires it.</summary>
    public void Wait()
    {
        var current = RuntimeThread.Current;
        if (!_lock.IsHeldByCurrentThread)
            throw new SynchronizationLockException($"Wait on {((ISimObject)this).Describe()} without holding {_lock}");
        if (current is null)
        {
            WaitNative();
            return;
        }
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.ConditionWait, this);
        Renew(runtime);
        _lock.Release(current);
        var waiter = new Waiter(this, current);
        _waiters.Add(waiter);
        runtime.SchedulingPoint(current, OperationKind.ConditionReacquire, _lock, 0, waiter);
        runtime.Causality.Observe(current.Id, waiter.SignalClock);
        _lock.Acquire(current);
    }

    /// <summary>Wakes one waiter, if any.</summary>
    public void Signal()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            SignalNative(all: false);
            return;
        }
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.ConditionSignal, this);
        Renew(runtime);
        if (_waiters.Count == 0)
        {
            runtime.SetResult(-1);
            return;
        }
        var index = runtime.NextChoice(_waiters.Count);
        var woken = _waiters[index];
        _waiters.RemoveAt(index);
        Wake(current, woken);
        runtime.SetResult(woken.Thread.Number);
    }

    /// <summary>Wakes every waiter.</summary>
    public void Broadcast()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            SignalNative(all: true);
            return;
        }
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.ConditionBroadcast, this);
        Renew(runtime);
        runtime.SetResult(_waiters.Count);
        foreach (var w in _waiters) Wake(current, w);
        _waiters.Clear();
    }

    string ISimObject.Describe() => Name is null ? $"condition on {_lock}" : $"condition '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    private static void Wake(RuntimeThread signaller, Waiter waiter)
    {
        waiter.Signalled = true;
        // Stryker disable once Boolean : a waiter leaves _waiters when woken, so its SignalClock is published into once, while still empty: joining and replacing give the same clock
        signaller.Runtime.Causality.Publish(signaller.Id, ref waiter.SignalClock, replace: false);
    }

    private void Renew(IControlledRuntime runtime)
    {
        if (!_stamp.Renew(runtime)) return;
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
