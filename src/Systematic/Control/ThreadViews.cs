namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// One controlled thread's views under <see cref="MemoryModel.Arm"/>: what it must read at least
/// (<see cref="Current"/>), what it has read but not yet acquired (<see cref="Acquirable"/>, taken in by
/// <c>smp_rmb</c> or an acquire) and what its plain stores carry to a reader that acquires them
/// (<see cref="Released"/>, set by <c>smp_wmb</c> or a release). Only the owning thread changes them.
/// </summary>
internal sealed class ThreadViews
{
    /// <summary>The oldest store of each location the thread may still read.</summary>
    public MemoryView Current { get; } = new();

    /// <summary>The views of the stores the thread read since, joined: what an acquire barrier adds to <see cref="Current"/>.</summary>
    public MemoryView Acquirable { get; } = new();

    /// <summary>
    /// What a plain store carries: <see cref="Current"/> as of the thread's last release barrier, or null before any.
    /// Never changed once taken (stores share it), only replaced.
    /// </summary>
    public MemoryView? Released { get; private set; }

    /// <summary>
    /// The locations a <see cref="Sim.WaitUntil"/> condition of this thread read in its last evaluation, while
    /// <see cref="Recording"/>: a wait that proceeds has read their newest stores (see <see cref="WeakMemory.SeePeeked"/>).
    /// </summary>
    public List<LocationHistory> Peeked { get; } = [];

    /// <summary>True while the thread's WaitUntil condition is being evaluated: its <c>Peek</c>s are loads.</summary>
    public bool Recording { get; set; }

    /// <summary>Notes a <c>Peek</c> of <paramref name="location"/> by the condition being evaluated (nothing otherwise).</summary>
    public void OnPeek(LocationHistory? location)
    {
        if (Recording && location is not null) Peeked.Add(location);
    }

    /// <summary>A release barrier (<c>smp_wmb</c>, the release half of a release or a full barrier).</summary>
    public void ReleaseFence() => Released = Current.Clone();

    /// <summary>An acquire barrier (<c>smp_rmb</c>, the acquire half of a full barrier): what was read is now seen.</summary>
    public void AcquireFence() => Current.Join(Acquirable);
}
