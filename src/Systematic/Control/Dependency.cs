namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The dependency relation over the primitives' operations that POS and DPOR share: two steps of different threads
/// are dependent when swapping them could change what either does. A step is the announced operation plus the
/// thread-local code up to its next scheduling point; the relation assumes (as the engine requires) that this code
/// touches shared state only through the announced primitive. Dependent pairs:
/// <list type="bullet">
/// <item>two <see cref="SimVar{T}"/> or <see cref="SimAtomic"/> operations on the same object, at least one a write
///   (reads: VarRead, AtomicLoad; writes: VarWrite, AtomicStore, AtomicAdd, AtomicExchange, AtomicCompareExchange —
///   a compare-exchange counts as a write even when it fails; under <see cref="MemoryModel.Tso"/> a store buffer's
///   Drain writes the object of its oldest store, and the buffered store itself still counts as a write of it);</item>
/// <item>any two lock or condition operations that touch a common lock or condition, where LockEnter,
///   LockTryEnter, LockExit and ConditionReacquire touch their lock, and ConditionWait, ConditionSignal and
///   ConditionBroadcast touch their condition and its lock (so a signal is dependent with the re-acquire it enables);</item>
/// <item>a Join on thread t and every step of t, and of t's store buffer (a join waits for it to drain);</item>
/// <item>WaitUntil and custom scheduling points (<see cref="Sim.SchedulingPoint"/>) with every step of every other
///   thread: a WaitUntil condition reads arbitrary model state, and the code after a custom point (set_pte, a TLB
///   flush) writes plain model state, so nothing is known to commute with them.</item>
/// </list>
/// Under <see cref="MemoryModel.Tso"/> an operation that drains its thread's non-empty buffer as it runs (a full
/// barrier: smp_mb, a read-modify-write atomic, a lock or condition operation, a spawn or a join; or a store into a
/// full buffer) is announced to the strategies as an opaque point, since it writes every object buffered there.
/// Under <see cref="MemoryModel.Arm"/> a load's choice of store depends only on stores to its object (dependent
/// already) and its thread's views, which change through dependent steps (a load of a store that carries a view,
/// a lock operation, a join), thread-local barriers (smp_rmb, smp_wmb: no step at all) and full barriers: smp_mb and
/// the value-returning atomics meet every other full barrier in one view, so they are announced as opaque points.
/// Start, Spawn, Yield, Choose and (with its buffer empty by the time it runs) Fence steps are independent of everything (a spawned thread's steps are ordered after
/// the Spawn by program order, not by dependency). It lives with the operations, not with the strategies: what an
/// operation touches is said by its kind and its target (<see cref="ILockBoundTarget"/>), so POS and DPOR only ask
/// whether two pending operations are dependent.
/// </summary>
internal static class Dependency
{
    public static bool Dependent(int threadA, PendingOperation a, int threadB, PendingOperation b)
    {
        if (threadA == threadB) return true;
        if (IsOpaque(a.Kind) || IsOpaque(b.Kind)) return true;
        if (a.Kind == OperationKind.Join) return a.Target is RuntimeThread ja && (ja.Id == threadB || ja.BufferEntityId == threadB);
        if (b.Kind == OperationKind.Join) return b.Target is RuntimeThread jb && (jb.Id == threadA || jb.BufferEntityId == threadA);
        if (IsFree(a.Kind) || IsFree(b.Kind)) return false;

        var aSync = IsSync(a.Kind);
        if (aSync != IsSync(b.Kind)) return false;
        if (aSync) return SyncOverlap(a, b);
        return ReferenceEquals(a.Target, b.Target) && (IsWrite(a.Kind) || IsWrite(b.Kind));
    }

    private static bool IsOpaque(OperationKind kind) => kind is OperationKind.WaitUntil or OperationKind.Custom;

    private static bool IsFree(OperationKind kind) =>
        kind is OperationKind.Start or OperationKind.Spawn or OperationKind.Yield or OperationKind.Choose or OperationKind.Fence;

    private static bool IsSync(OperationKind kind) => kind is OperationKind.LockEnter or OperationKind.LockTryEnter
        or OperationKind.LockExit or OperationKind.ConditionReacquire or OperationKind.ConditionWait
        or OperationKind.ConditionSignal or OperationKind.ConditionBroadcast;

    private static bool IsWrite(OperationKind kind) => kind is OperationKind.VarWrite or OperationKind.Drain or OperationKind.AtomicStore
        or OperationKind.AtomicAdd or OperationKind.AtomicExchange or OperationKind.AtomicCompareExchange;

    private static bool SyncOverlap(PendingOperation a, PendingOperation b)
    {
        var (a1, a2) = Touched(a);
        var (b1, b2) = Touched(b);
        return Same(a1, b1) || Same(a1, b2) || Same(a2, b1) || Same(a2, b2);
    }

    private static bool Same(object? x, object? y) => x is not null && ReferenceEquals(x, y);

    private static (object? First, object? Second) Touched(PendingOperation op) =>
        op.Target is ILockBoundTarget bound ? (bound.Self, bound.BoundLock) : (op.Target, null);

    /// <summary>
    /// The lock a lock or condition operation takes or releases: its target, or the lock its condition is bound to
    /// (a ConditionWait releases that one).
    /// </summary>
    public static object? LockOf(PendingOperation op) => op.Target is ILockBoundTarget bound ? bound.BoundLock : op.Target;

    /// <summary>Whether the operation takes a lock and may block on it (the acquire a release races with).</summary>
    public static bool IsBlockingAcquire(OperationKind kind) => kind is OperationKind.LockEnter or OperationKind.ConditionReacquire;

    /// <summary>Whether the operation acquires its lock when it runs.</summary>
    public static bool IsAcquire(OperationKind kind) => kind is OperationKind.LockEnter or OperationKind.LockTryEnter or OperationKind.ConditionReacquire;
}
