using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// A non-reentrant mutual-exclusion lock. Under test, a thread that finds it held is disabled until it is free
/// (never busy-waiting), release→acquire is a happens-before edge, and a recursive acquire is a reported
/// deadlock. Natively it is a test-and-test-and-set spin lock that yields while it waits.
/// </summary>
public sealed class SimLock : ISimObject, IWaitCondition
{
    // Controlled state, valid for the execution _stamp names (objects may outlive an iteration).
    private ExecutionStamp _stamp;
    private ObjectLabel _label;
    private RuntimeThread? _owner;
    private VectorClock? _releaseClock;

    // Native state.
    private int _nativeHeld;
    private int _nativeOwner;
    private int _nativeWaiters;

    /// <summary>Creates a lock; <paramref name="name"/> appears in interleavings and deadlock reports.</summary>
    public SimLock(string? name = null)
    {
        Name = name;
        _label.OnCreated();
    }

    /// <summary>The lock's name, or null.</summary>
    public string? Name { get; }

    /// <summary>True when some thread holds the lock (a peek: no scheduling point).</summary>
    public bool IsHeld
    {
        get
        {
            var current = RuntimeThread.Current;
            if (current is null) return Volatile.Read(ref _nativeHeld) != 0;
            return _stamp.IsCurrent(current.Runtime) && _owner is not null;
        }
    }

    /// <summary>True when the calling thread holds the lock (a peek: no scheduling point).</summary>
    public bool IsHeldByCurrentThread
    {
        get
        {
            var current = RuntimeThread.Current;
            if (current is null) return Volatile.Read(ref _nativeHeld) != 0 && _nativeOwner == Environment.CurrentManagedThreadId;
            return _stamp.IsCurrent(current.Runtime) && _owner == current;
        }
    }

    /// <summary>
    /// Native threads inside <see cref="Enter"/> that found the lock held and have not got it yet (a peek, for tests:
    /// it lets a test see a thread blocked in Enter instead of guessing from time).
    /// </summary>
    internal int NativeWaiters => Volatile.Read(ref _nativeWaiters);

    /// <summary>Acquires the lock, waiting while another thread holds it.</summary>
    public void Enter()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            EnterNative();
            return;
        }
        current.Runtime.SchedulingPoint(current, OperationKind.LockEnter, this, 0, this);
        Acquire(current);
    }

    /// <summary>Acquires the lock if it is free; never waits.</summary>
    public bool TryEnter()
    {
        var current = RuntimeThread.Current;
        if (current is null) return TryEnterNative();
        var runtime = current.Runtime;
        runtime.SchedulingPoint(current, OperationKind.LockTryEnter, this);
        var free = CanProceed(current);
        if (free) Acquire(current);
        runtime.SetResult(free ? 1 : 0);
        return free;
    }

    /// <summary>Releases the lock; only its holder may.</summary>
    public void Exit()
    {
        var current = RuntimeThread.Current;
        if (current is null)
        {
            ExitNative();
            return;
        }
        current.Runtime.SchedulingPoint(current, OperationKind.LockExit, this);
        Release(current);
    }

    string ISimObject.Describe() => Name is null ? _label.Format("lock") : $"lock '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    /// <summary>Free in the waiter's execution (state left by an earlier execution does not count).</summary>
    internal bool CanProceed(RuntimeThread waiter) => !_stamp.IsCurrent(waiter.Runtime) || _owner is null;

    bool IWaitCondition.CanProceed(RuntimeThread waiter) => CanProceed(waiter);

    string IWaitCondition.DescribeWait(RuntimeThread waiter) =>
        $"waits for {((ISimObject)this).Describe()}, held by {DescribeOwner(waiter)}";

    private string DescribeOwner(RuntimeThread asking)
    {
        if (!_stamp.IsCurrent(asking.Runtime) || _owner is null) return "nobody";
        return _owner == asking ? "itself (a recursive acquire)" : _owner.Label;
    }

    internal void Acquire(RuntimeThread current)
    {
        Renew(current.Runtime);
        _owner = current;
        current.Runtime.Causality.Observe(current.Id, _releaseClock);
    }

    internal void Release(RuntimeThread current)
    {
        Renew(current.Runtime);
        if (_owner != current)
            throw new SynchronizationLockException($"{((ISimObject)this).Describe()} released by {current.Label}, which does not hold it (held by {DescribeOwner(current)})");
        _owner = null;
        // Stryker disable once Boolean : the releaser observed _releaseClock when it acquired and clocks only grow, so joining it gives the releaser's clock, as replacing does
        current.Runtime.Causality.Publish(current.Id, ref _releaseClock, replace: true);
    }

    private void Renew(IControlledRuntime runtime)
    {
        if (!_stamp.Renew(runtime)) return;
        _label.OnTouched(runtime);
        _owner = null;
        _releaseClock?.Clear();
    }

    private void EnterNative()
    {
        var me = Environment.CurrentManagedThreadId;
        if (Volatile.Read(ref _nativeHeld) != 0 && Volatile.Read(ref _nativeOwner) == me)
            throw new LockRecursionException($"{((ISimObject)this).Describe()} is not reentrant and is already held by this thread");
        if (Interlocked.CompareExchange(ref _nativeHeld, 1, 0) != 0)
        {
            // Counted while it waits, so a test can observe it blocked (NativeWaiters).
            Interlocked.Increment(ref _nativeWaiters);
            var spin = new SpinWait();
            do
                // Stryker disable once Statement,Unary : how a native waiter backs off (spin, yield or sleep) changes its speed, never who gets the lock
                spin.SpinOnce(sleep1Threshold: -1);
            while (Volatile.Read(ref _nativeHeld) != 0 || Interlocked.CompareExchange(ref _nativeHeld, 1, 0) != 0);
            Interlocked.Decrement(ref _nativeWaiters);
        }
        _nativeOwner = me;
    }

    private bool TryEnterNative()
    {
        if (Interlocked.CompareExchange(ref _nativeHeld, 1, 0) != 0) return false;
        _nativeOwner = Environment.CurrentManagedThreadId;
        return true;
    }

    private void ExitNative()
    {
        if (Volatile.Read(ref _nativeHeld) == 0 || _nativeOwner != Environment.CurrentManagedThreadId)
            throw new SynchronizationLockException($"{((ISimObject)this).Describe()} released by a thread that does not hold it");
        _nativeOwner = 0;
        Volatile.Write(ref _nativeHeld, 0);
    }
}
