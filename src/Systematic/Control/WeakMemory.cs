namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The shared state of one execution under <see cref="MemoryModel.Arm"/>: the locations' slots, the view every
/// full barrier meets in (<c>smp_mb</c> as an SC fence: a barrier sees everything an earlier barrier saw) and what
/// each lock's releases carried. Reads and writes go through here, so a load's choice of store is made in one place.
/// </summary>
internal sealed class WeakMemory(int depth)
{
    private readonly MemoryView _fences = new();
    private readonly Dictionary<object, MemoryView> _locks = new(ReferenceEqualityComparer.Instance);
    private int _slots;

    /// <summary>How many of a location's newest stores a load may choose from (<see cref="TestOptions.StoreBufferSize"/>).</summary>
    public int Depth { get; } = depth;

    /// <summary>A location first touched in this execution, holding <paramref name="initial"/>.</summary>
    public LocationHistory NewLocation(object? initial, string? shown) => new(_slots++, initial, shown);

    /// <summary>A thread's views: a spawned thread starts with what its parent had seen.</summary>
    public static ThreadViews NewThread(ThreadViews? parent)
    {
        var views = new ThreadViews();
        if (parent is null) return views;
        views.Current.Join(parent.Current);
        views.ReleaseFence();   // a new task starts in schedule(), a full barrier: its first stores carry what it saw
        return views;
    }

    /// <summary>
    /// Which store <paramref name="reader"/>'s load of <paramref name="location"/> reads: the strategy chooses among
    /// the stores no older than the reader's view allows (at most <see cref="Depth"/>, choice 0 the newest), and the
    /// interleaving notes a read of an older one. An acquire (<paramref name="acquire"/>) takes in the store's view at
    /// once; a plain load keeps it for the next acquire barrier.
    /// </summary>
    public LocationHistory.Message Read(IControlledRuntime runtime, ThreadViews reader, LocationHistory location, bool acquire, ISimObject target)
    {
        var newest = location.Count - 1;
        var oldest = Math.Max(reader.Current[location.Slot], newest - Depth + 1);
        var position = newest - runtime.NextChoice(newest - oldest + 1);
        var message = location[position];
        if (position < newest)
        {
            var newer = newest - position;
            runtime.Note($"reads {message.Shown ?? "a value"} from {target.Describe()}, not yet the newest: {newer} newer store{(newer == 1 ? " is" : "s are")} not seen");
        }
        reader.Current.Raise(location.Slot, position);
        if (acquire) reader.Current.Join(message.View);
        else reader.Acquirable.Join(message.View);
        return message;
    }

    /// <summary>
    /// A store by <paramref name="writer"/>: it becomes the newest in modification order and carries the writer's
    /// released view, or (<paramref name="release"/>: <c>smp_store_release</c>, a read-modify-write) everything the
    /// writer has seen.
    /// </summary>
    public void Write(ThreadViews writer, LocationHistory location, object? value, string? shown, bool release, VectorClock? clock)
    {
        if (release) writer.ReleaseFence();
        var position = location.Add(new LocationHistory.Message(value, shown, writer.Released, clock));
        writer.Current.Raise(location.Slot, position);
    }

    /// <summary>
    /// A value-returning atomic's access (its full barrier before has run): it reads the newest store, taking in its
    /// view, appends its own when it changed the value (<paramref name="stored"/>), and is a full barrier after.
    /// </summary>
    public void ReadModifyWrite(ThreadViews thread, LocationHistory location, bool stored, object? value, string? shown, VectorClock? clock)
    {
        thread.Current.Join(location.Newest.View);
        thread.Current.Raise(location.Slot, location.Count - 1);
        if (stored) Write(thread, location, value, shown, release: true, clock);
        FullBarrier(thread);
    }

    /// <summary>
    /// A full barrier (<c>smp_mb</c>, and around a value-returning atomic): what the thread read is seen, it sees
    /// everything any earlier full barrier saw and leaves what it sees for later ones, and its stores carry it.
    /// </summary>
    public void FullBarrier(ThreadViews thread)
    {
        thread.AcquireFence();
        thread.Current.Join(_fences);
        _fences.Join(thread.Current);
        thread.ReleaseFence();
    }

    /// <summary>Taking <paramref name="lockObject"/> (<c>spin_lock</c>, an acquire): sees what its last holder saw.</summary>
    public void AcquireLock(ThreadViews thread, object lockObject)
    {
        if (_locks.TryGetValue(lockObject, out var view)) thread.Current.Join(view);
    }

    /// <summary>Releasing <paramref name="lockObject"/> (<c>spin_unlock</c>, a release): the next holder sees what this one saw.</summary>
    public void ReleaseLock(ThreadViews thread, object lockObject)
    {
        if (!_locks.TryGetValue(lockObject, out var view)) _locks[lockObject] = view = new MemoryView();
        view.Join(thread.Current);
    }

    /// <summary>
    /// A <see cref="Sim.WaitUntil"/> that proceeds: its condition read the newest store of each location it looked
    /// at (a spin loop of plain loads that exits on the value it saw), so the thread reads nothing older there from
    /// now on, and what those stores carried waits for its next acquire barrier, as after any plain load. Other
    /// locations stay as the thread's view has them: a flag seen by a spin does not order the data behind it.
    /// </summary>
    public static void SeePeeked(ThreadViews thread)
    {
        foreach (var location in thread.Peeked)
        {
            thread.Current.Raise(location.Slot, location.Count - 1);
            thread.Acquirable.Join(location.Newest.View);
        }
        thread.Peeked.Clear();   // mutation-report: equivalent[Statement]: the next evaluation of a condition clears the list before it records
    }
}
