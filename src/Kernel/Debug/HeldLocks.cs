namespace HighMemConcurrency.Kernel;

/// <summary>
/// lockdep's <c>held_locks[]</c> and <c>lockdep_depth</c> for one task: the spin locks it holds, in the order it took
/// them, so the task's exit can report "lock held when returning to user space" and name the locks. Locks taken by
/// an interrupt handler count for the task it interrupted (lockdep keys them on <c>current</c> too); the handler
/// drops them before it returns. Only the task's own thread touches the stack, so it needs no synchronisation; it is
/// on every lock operation, so a push and a LIFO pop are O(1) and allocate nothing once the stack has grown.
/// </summary>
public sealed class HeldLocks
{
    private SpinLock[] _locks = new SpinLock[4];

    /// <summary>lockdep_depth: how many locks the task holds.</summary>
    public int Depth { get; private set; }

    /// <summary>The <paramref name="index"/>-th lock still held, in acquisition order (0 is the oldest).</summary>
    public SpinLock this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Depth);
            return _locks[index];
        }
    }

    /// <summary>The held locks as lockdep lists them: <c>#0: kmap_lock, #1: zone-&gt;lock</c>.</summary>
    public string Describe() => string.Join(", ", Enumerable.Range(0, Depth).Select(i => $"#{i}: {_locks[i].Name}"));

    /// <summary>lock_acquire: the task now holds <paramref name="spinLock"/>.</summary>
    internal void Acquired(SpinLock spinLock)
    {
        if (Depth == _locks.Length) Array.Resize(ref _locks, Depth * 2);
        _locks[Depth++] = spinLock;
    }

    /// <summary>
    /// lock_release: drops <paramref name="spinLock"/>. Spin locks need not be released in LIFO order, so a lock
    /// below the top is found by a search (as lockdep's <c>find_held_lock</c> does) and the ones above slide down.
    /// </summary>
    internal void Released(SpinLock spinLock)
    {
        var i = Depth - 1;
        while (i >= 0 && !ReferenceEquals(_locks[i], spinLock)) i--;
        if (i < 0) return;   // not reached: SpinLock only releases from the task it recorded the lock on
        Array.Copy(_locks, i + 1, _locks, i, Depth - 1 - i);
        _locks[--Depth] = null!;
    }
}
