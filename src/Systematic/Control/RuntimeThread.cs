namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// A controlled thread as the primitives see it, whichever engine runs it: a dense id (creation index, stable across
/// runs, so traces name threads by it), a name, the runtime of its iteration and the operation it announced at its
/// last scheduling point. Each engine subclasses it with what it needs to run the thread. As an
/// <see cref="IWaitCondition"/> it means "has finished", which is what a joiner waits for.
/// </summary>
internal abstract class RuntimeThread : IWaitCondition
{
    [ThreadStatic] private static RuntimeThread? t_current;
    [ThreadStatic] private static RuntimeThread? t_viewer;

    protected RuntimeThread(IControlledRuntime runtime, int id, string name) : this(runtime, id, name, id, null) { }

    /// <summary>
    /// A thread whose reports name it by <paramref name="number"/> rather than by its id: the engine's store-buffer
    /// entities take ids between the threads' own, and a thread keeps the number it has without them.
    /// </summary>
    protected RuntimeThread(IControlledRuntime runtime, int id, string name, int number, string? label)
    {
        Runtime = runtime;
        Id = id;
        Name = name;
        Number = number;
        Label = label ?? $"T{number} '{name}'";
        Handle = new SimThread(this);
    }

    /// <summary>The controlled thread the calling OS thread runs, or null (native mode).</summary>
    public static RuntimeThread? Current => t_current;

    /// <summary>
    /// Whose view of memory a <c>Peek</c> takes: the thread whose <see cref="Sim.WaitUntil"/> condition is being
    /// evaluated (on whichever OS thread holds the turn), else the current thread. Under TSO a thread sees its own
    /// buffered stores.
    /// </summary>
    public static RuntimeThread? Viewer => t_viewer ?? t_current;

    /// <summary>Makes <paramref name="viewer"/> the <see cref="Viewer"/> until restored; returns the previous override.</summary>
    public static RuntimeThread? SetViewer(RuntimeThread? viewer)
    {
        var previous = t_viewer;
        t_viewer = viewer;
        return previous;
    }

    /// <summary>Set by an engine's thread wrapper around the thread's body.</summary>
    public static void SetCurrent(RuntimeThread? thread) => t_current = thread;

    public IControlledRuntime Runtime { get; }

    /// <summary>The entity's index among everything the strategy schedules (threads and, under TSO, store buffers).</summary>
    public int Id { get; }
    public string Name { get; }

    /// <summary>
    /// The thread's creation index among the test's threads, as reports and traces' readers see it (<c>T3</c>):
    /// the same under every memory model. Equal to <see cref="Id"/> when no store buffers are scheduled.
    /// </summary>
    public int Number { get; }

    /// <summary>The thread's store buffer under <see cref="MemoryModel.Tso"/>; null under sequential consistency.</summary>
    public StoreBuffer? Buffer;

    /// <summary>The thread's views of memory under <see cref="MemoryModel.Arm"/>; null under the other models.</summary>
    public ThreadViews? Views;

    /// <summary>The id under which the strategy schedules <see cref="Buffer"/>'s drains; -1 without one.</summary>
    public int BufferEntityId = -1;

    /// <summary><c>T3 'kmapd/1'</c>: how reports name the thread.</summary>
    public string Label { get; }

    /// <summary>The public handle returned by <see cref="Sim.Start"/>.</summary>
    public SimThread Handle { get; }

    /// <summary>The thread's body returned or threw; set by its engine.</summary>
    public volatile bool Finished;

    // The operation announced at the last scheduling point, written by the thread itself before it gives up the
    // turn and read by the engine (and its strategies) while the thread waits to be chosen.
    public OperationKind PendingKind = OperationKind.Start;
    public object? PendingTarget;
    public long PendingArg;

    /// <summary>What the pending operation waits for, or null when it can always proceed.</summary>
    public IWaitCondition? PendingWait;

    /// <summary>Whether the thread could perform its pending operation now.</summary>
    public bool IsEnabled() => !Finished && (PendingWait is null || PendingWait.CanProceed(this));

    /// <summary>What the thread waits for, for deadlock reports.</summary>
    public string DescribeWait() => PendingWait?.DescribeWait(this) ?? "is runnable";

    // A join returns once the thread has finished and (TSO) its stores are visible: its exit does not drain its
    // buffer, but the joiner sees memory after it.
    bool IWaitCondition.CanProceed(RuntimeThread waiter) => Finished && Buffer is not { Count: > 0 };

    string IWaitCondition.DescribeWait(RuntimeThread waiter) => $"waits to join {Label}";

    /// <inheritdoc />
    public override string ToString() => Label;
}
