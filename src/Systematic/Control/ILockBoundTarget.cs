namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// An operation target that touches a lock besides itself: a condition variable, whose wait releases and re-takes
/// its lock and whose signal enables that re-take. The target says so itself (as loom's per-execution objects answer
/// for their own accesses), so <see cref="Dependency"/> and the strategies never test for a primitive's type. A
/// target that is not one touches only itself.
/// </summary>
internal interface ILockBoundTarget
{
    /// <summary>What stands for the target in the relation: the primitive itself, or a strategy's key for it.</summary>
    object Self { get; }

    /// <summary>The lock every operation on the target also touches (or a strategy's key for that lock).</summary>
    object BoundLock { get; }
}
