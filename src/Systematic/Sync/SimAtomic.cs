using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic;

/// <summary>
/// A sequentially consistent integer. Under test every operation is a scheduling point and a happens-before edge
/// (stores release, loads acquire, read-modify-writes do both); natively it is <see cref="Interlocked"/>. Under
/// <see cref="MemoryModel.Tso"/> it is the kernel's <c>atomic_t</c> on x86: a <see cref="Load"/> is a plain load
/// (its own thread's newest buffered store, else memory), a <see cref="Store"/> (<c>atomic_set</c>,
/// <c>WRITE_ONCE</c>) waits in the store buffer and releases when it becomes visible, and the read-modify-writes
/// are <c>lock</c>-prefixed, full barriers that drain their thread's buffer first. Under <see cref="MemoryModel.Arm"/>
/// a <see cref="Load"/> (<c>atomic_read</c>, <c>READ_ONCE</c>) may read an older store than the newest one, as its
/// thread's view allows, and observes (race detection) only the stores up to the one it read; <see cref="LoadAcquire"/>
/// and <see cref="StoreRelease"/> are <c>smp_load_acquire</c> and <c>smp_store_release</c>; the read-modify-writes
/// read the newest store and are full barriers on both sides (the kernel's value-returning atomics).
/// </summary>
public sealed class SimAtomic : IBufferedLocation
{
    private int _value;
    private ExecutionStamp _stamp;
    private ObjectLabel _label;
    private VectorClock? _clock;
    private LocationHistory? _history;    // under Arm: this execution's stores to the atomic

    /// <summary>Creates the atomic with an initial value and an optional name for interleavings.</summary>
    public SimAtomic(int initial = 0, string? name = null)
    {
        _value = initial;
        Name = name;
        _label.OnCreated();
    }

    /// <summary>The atomic's name, or null.</summary>
    public string? Name { get; }

    /// <summary>
    /// The value without a scheduling point or synchronisation: for invariant checks, reports and
    /// <see cref="Sim.WaitUntil"/> conditions. It is what the calling thread would read: under
    /// <see cref="MemoryModel.Tso"/> its own newest buffered store, else memory; under <see cref="MemoryModel.Arm"/>
    /// the newest store, which a WaitUntil condition's thread then has read.
    /// </summary>
    public int Peek
    {
        get
        {
            if (RuntimeThread.Viewer is not { } viewer) return Volatile.Read(ref _value);
            viewer.Views?.OnPeek(_stamp.IsCurrent(viewer.Runtime) ? _history : null);
            return viewer.Buffer is { Count: > 0 } buffer && buffer.TryForward(this, out var own) ? (int)own! : _value;
        }
    }

    /// <summary>Reads the value (<c>atomic_read</c>, <c>READ_ONCE</c>).</summary>
    public int Load() => LoadCore(acquire: false);

    /// <summary>
    /// Reads the value with acquire semantics (<c>smp_load_acquire</c>): under <see cref="MemoryModel.Arm"/> the
    /// thread's later accesses see what the store it read carried. A <see cref="Load"/> under the other models, where
    /// every load acquires.
    /// </summary>
    public int LoadAcquire() => LoadCore(acquire: true);

    /// <summary>Writes the value (<c>atomic_set</c>, <c>WRITE_ONCE</c>).</summary>
    public void Store(int value) => StoreCore(value, release: false);

    /// <summary>
    /// Writes the value with release semantics (<c>smp_store_release</c>): under <see cref="MemoryModel.Arm"/> a
    /// thread that reads it with an acquire (or reads it and passes <see cref="Sim.ReadBarrier"/>) sees everything
    /// the writer had seen. A <see cref="Store"/> under the other models (x86 stores are releases).
    /// </summary>
    public void StoreRelease(int value) => StoreCore(value, release: true);

    private int LoadCore(bool acquire)
    {
        var current = Point(OperationKind.AtomicLoad, 0);
        if (current is null) return Volatile.Read(ref _value);
        int value;
        if (current.Views is { } views)
        {
            Renew(current.Runtime);
            var read = current.Runtime.Weak!.Read(current.Runtime, views, _history!, acquire, this);
            current.Runtime.Causality.Observe(current.Id, read.Clock);
            value = (int)read.Value!;
        }
        else
        {
            Acquire(current);
            value = current.Buffer is { Count: > 0 } buffer && buffer.TryForward(this, out var forwarded) ? (int)forwarded! : _value;
        }
        current.Runtime.SetResult(value);
        return value;
    }

    private void StoreCore(int value, bool release)
    {
        var current = Point(OperationKind.AtomicStore, value);
        if (current is null)
        {
            Volatile.Write(ref _value, value);
            return;
        }
        if (current.Buffer is { } buffer)
        {
            Renew(current.Runtime);
            buffer.Add(this, value, StoreBuffer.Show(value), current.Runtime.Causality.Snapshot(current.Id));
            return;
        }
        Renew(current.Runtime);    // before the value changes: under Arm the history starts with the value before the store
        _value = value;
        Release(current);
        if (current.Views is { } views) current.Runtime.Weak!.Write(views, _history!, value, StoreBuffer.Show(value), release, _clock?.Clone());
    }

    void IBufferedLocation.Commit(object? value, VectorClock? release, IControlledRuntime runtime)
    {
        _value = (int)value!;
        runtime.Causality.PublishSnapshot(release, ref _clock);
    }

    /// <summary>Adds <paramref name="delta"/> and returns the new value.</summary>
    public int Add(int delta)
    {
        var current = Point(OperationKind.AtomicAdd, delta);
        if (current is null) return Interlocked.Add(ref _value, delta);
        Acquire(current);
        _value += delta;
        Release(current);
        Accessed(current, stored: true);
        current.Runtime.SetResult(_value);
        return _value;
    }

    /// <summary>Writes <paramref name="value"/> and returns the old value.</summary>
    public int Exchange(int value)
    {
        var current = Point(OperationKind.AtomicExchange, value);
        if (current is null) return Interlocked.Exchange(ref _value, value);
        Acquire(current);
        var old = _value;
        _value = value;
        Release(current);
        Accessed(current, stored: true);
        current.Runtime.SetResult(old);
        return old;
    }

    /// <summary>Writes <paramref name="value"/> if the value equals <paramref name="comparand"/>; returns the old value.</summary>
    public int CompareExchange(int value, int comparand)
    {
        var current = Point(OperationKind.AtomicCompareExchange, (uint)value | ((long)comparand << 32));
        if (current is null) return Interlocked.CompareExchange(ref _value, value, comparand);
        Acquire(current);
        var old = _value;
        if (old == comparand)
        {
            _value = value;
            Release(current);
        }
        Accessed(current, stored: old == comparand);
        current.Runtime.SetResult(old);
        return old;
    }

    string ISimObject.Describe() => Name is null ? _label.Format("atomic") : $"atomic '{Name}'";

    /// <inheritdoc />
    public override string ToString() => ((ISimObject)this).Describe();

    private RuntimeThread? Point(OperationKind kind, long arg)
    {
        var current = RuntimeThread.Current;
        current?.Runtime.SchedulingPoint(current, kind, this, arg);
        return current;
    }

    // Under Arm a read-modify-write reads the newest store, appends its own (when it stored) and ends with the second
    // half of its full barrier.
    private void Accessed(RuntimeThread current, bool stored)
    {
        if (current.Views is { } views)
            current.Runtime.Weak!.ReadModifyWrite(views, _history!, stored, _value, StoreBuffer.Show(_value), _clock?.Clone());
    }

    // Both edges are no-ops when race detection is off, but the object is still numbered on its first touch.
    private void Acquire(RuntimeThread current)
    {
        Renew(current.Runtime);
        current.Runtime.Causality.Observe(current.Id, _clock);
    }

    // Joined, not replaced: a load acquires every earlier store to the atomic, not only the last one. Every caller has
    // renewed the atomic already, before its value changed (StoreCore itself, the read-modify-writes through Acquire).
    private void Release(RuntimeThread current) => current.Runtime.Causality.Publish(current.Id, ref _clock, replace: false);

    // The clock belongs to one execution: an atomic that outlives an iteration starts the next one unsynchronised.
    private void Renew(IControlledRuntime runtime)
    {
        if (!_stamp.Renew(runtime)) return;
        _label.OnTouched(runtime);
        _clock?.Clear();
        _history = runtime.Weak?.NewLocation(_value, StoreBuffer.Show(_value));
    }
}
