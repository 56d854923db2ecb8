using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// A non-reentrant mutual-exclusion lock. Under test, a thread that finds it held is disabled until it is free
/// (never busy-waiting), release→acquire is a happens-before edge, and a recursive acquire is a reported
/// deadlock. Natively it is a test-and-test-and-set spin lock that yields while it waits.
/// </summary>
public sealed class SimLock : ISimObject
{
    // Controlled state, valid for the execution whose id is _executionId (objects may outlive an iteration).
    private long _executionId;
    private ControlledThread? _owner;
    private VectorClock? _releaseClock;

    // Native state.
    private int _nativeHeld;
    private int _nativeOwner;

    /// <summary>Creates a lock; <paramref name="name"/> appears in interleavings and deadlock reports.</summary>
    public SimLock(string? name = null) => Name = name;

    /// <summary>The lock's name, or null.</summary>
    public string? Name { get; }

    /// <summary>True when some thread holds the lock (a peek: no scheduling point).</summary>
    public bool IsHeld
    {
        get
        {
            var current = ControlledThread.Current;
            if (current is null) return Volatile.Read(ref _nativeHeld) != 0;
            return _executionId == current.Execution.Id && _owner is not null;
        }
    }

    /// <summary>True when the calling thread holds the lock (a peek: no scheduling point).</summary>
    public bool IsHeldByCurrentThread
    {
        get
        {
            var current = ControlledThread.Current;
            if (current is null) return Volatile.Read(ref _nativeHeld) != 0 && _nativeOwner == Environment.CurrentManagedThreadId;
            return _executionId == current.Execution.Id && _owner == current;
        }
    }

    /// <summary>Acquires the lock, waiting while another thread holds it.</summary>
    public void Enter()
    {
        var current = ControlledThread.Current;
        if (current is null)
        {
            EnterNative();
            return;
        }
        var execution = current.Execution;
        current.SetBlock(BlockKind.Lock, this);
        try
        {
            execution.SchedulingPoint(current, OperationKind.LockEnter, this);
        }
        finally
        {
            current.ClearBlock();
        }
        Acquire(current);
    }

    /// <summary>Acquires the lock if it is free; never waits.</summary>
    public bool TryEnter()
    {
        var current = ControlledThread.Current;
        if (current is null) return TryEnterNative();
        var execution = current.Execution;
        execution.SchedulingPoint(current, OperationKind.LockTryEnter, this);
        var free = IsFreeFor(execution);
        if (free) Acquire(current);
        execution.Log.SetResult(free ? 1 : 0);
        return free;
    }

    /// <summary>Releases the lock; only its holder may.</summary>
    public void Exit()
    {
        var current = ControlledThread.Current;
        if (current is null)
        {
            ExitNative();
            return;
        }
        current.Execution.SchedulingPoint(current, OperationKind.LockExit, this);
        Release(current);
    }

    string ISimObject.Describe() => Name is null ? $"lock#{GetHashCode():x}" : $"lock '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    internal bool IsFreeFor(Execution execution) => _executionId != execution.Id || _owner is null;

    internal string DescribeOwner(Execution execution, ControlledThread asking)
    {
        if (_executionId != execution.Id || _owner is null) return "nobody";
        return _owner == asking ? "itself (a recursive acquire)" : _owner.Label;
    }

    internal void Acquire(ControlledThread current)
    {
        Sync(current.Execution);
        _owner = current;
        if (current.Execution.DetectDataRaces && _releaseClock is not null) current.Clock.Join(_releaseClock);
    }

    internal void Release(ControlledThread current)
    {
        Sync(current.Execution);
        if (_owner != current)
            throw new SynchronizationLockException($"{((ISimObject)this).Describe()} released by {current.Label}, which does not hold it (held by {DescribeOwner(current.Execution, current)})");
        _owner = null;
        if (current.Execution.DetectDataRaces)
        {
            (_releaseClock ??= new VectorClock()).CopyFrom(current.Clock);
            current.Clock.Increment(current.Id);
        }
    }

    private void Sync(Execution execution)
    {
        if (_executionId == execution.Id) return;
        _executionId = execution.Id;
        _owner = null;
        _releaseClock?.Clear();
    }

    private void EnterNative()
    {
        var me = Environment.CurrentManagedThreadId;
        if (Volatile.Read(ref _nativeHeld) != 0 && Volatile.Read(ref _nativeOwner) == me)
            throw new LockRecursionException($"{((ISimObject)this).Describe()} is not reentrant and is already held by this thread");
        var spin = new SpinWait();
        while (Volatile.Read(ref _nativeHeld) != 0 || Interlocked.CompareExchange(ref _nativeHeld, 1, 0) != 0)
            spin.SpinOnce(sleep1Threshold: -1);
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
