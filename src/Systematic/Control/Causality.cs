namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The one happens-before helper (vector clocks, Lamport 1978 / Mattern 1989): a clock per controlled thread of the
/// iteration, and the edges the primitives create — spawn (parent → child), join (finished thread → joiner),
/// publish/observe (lock release → acquire, atomic store → load, signal → woken waiter). Primitives keep the clock
/// they publish into; this class keeps the threads' clocks, so race detection works under any engine.
/// Inactive (every edge a no-op) when race detection is off.
/// </summary>
internal sealed class Causality
{
    // Invariant: _clocks[t] is thread t's clock for t < _count; its own component t is ≥ 1 once the thread exists,
    // and grows after each edge the thread publishes, so a later access is never mistaken for an earlier one.
    private readonly List<VectorClock> _clocks = [];
    private int _count;

    public bool Active { get; private set; }

    /// <summary>Starts an iteration; clocks are reused across iterations.</summary>
    public void Reset(bool active)
    {
        Active = active;
        for (var i = 0; i < _count; i++) _clocks[i].Clear();
        _count = 0;
    }

    /// <summary>The clock of <paramref name="thread"/>: read-only for callers.</summary>
    public VectorClock ClockOf(int thread) => _clocks[thread];

    /// <summary>A new thread with no parent (the test body's main thread), or the child of <paramref name="parent"/>.</summary>
    public void OnThreadCreated(int thread, int parent = -1)
    {
        while (_clocks.Count <= thread) _clocks.Add(new VectorClock());
        _count = Math.Max(_count, thread + 1);
        var clock = _clocks[thread];    // clear: new, or cleared by Reset and unused since
        clock.Increment(thread);
        if (parent < 0 || !Active) return;
        clock.Join(_clocks[parent]);
        _clocks[parent].Increment(parent);
    }

    /// <summary><paramref name="joiner"/> has seen everything <paramref name="joined"/> did.</summary>
    public void OnJoined(int joiner, int joined)
    {
        if (Active) _clocks[joiner].Join(_clocks[joined]);
    }

    /// <summary><paramref name="thread"/> observes what was published into <paramref name="published"/>.</summary>
    public void Observe(int thread, VectorClock? published)
    {
        if (Active && published is not null) _clocks[thread].Join(published);
    }

    /// <summary>
    /// What <paramref name="thread"/> has seen so far, kept for a release that happens later (a store waiting in a
    /// store buffer publishes when it becomes visible); null when inactive. Like a publish, it ends the thread's epoch.
    /// </summary>
    public VectorClock? Snapshot(int thread)
    {
        if (!Active) return null;
        var snapshot = _clocks[thread].Clone();
        _clocks[thread].Increment(thread);
        return snapshot;
    }

    /// <summary>Publishes a <see cref="Snapshot"/> into <paramref name="into"/>, joined with what is there.</summary>
    public void PublishSnapshot(VectorClock? snapshot, ref VectorClock? into)
    {
        if (!Active || snapshot is null) return;
        into ??= new VectorClock();
        into.Join(snapshot);
    }

    /// <summary>
    /// <paramref name="thread"/> publishes what it has seen into <paramref name="into"/>: replacing it (a lock's release
    /// clock: the last holder saw every earlier one) or joining it (an atomic, a signal: several may publish).
    /// </summary>
    public void Publish(int thread, ref VectorClock? into, bool replace)
    {
        if (!Active) return;
        into ??= new VectorClock();
        if (replace) into.CopyFrom(_clocks[thread]);
        else into.Join(_clocks[thread]);
        _clocks[thread].Increment(thread);
    }
}
