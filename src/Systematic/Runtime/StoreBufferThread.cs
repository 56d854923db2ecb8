using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A thread's store buffer as something the strategy schedules (<see cref="MemoryModel.Tso"/>): it is enabled while
/// the buffer holds a store, and a step of it makes the oldest store visible. Every strategy chooses drains the way
/// it chooses threads (PCT gives the buffer a priority, DFS branches on it, a trace records its id), so when a store
/// becomes visible is part of the schedule. It has no OS thread: the engine drains inline, on whichever worker
/// holds the turn, and then picks again.
/// </summary>
internal sealed class StoreBufferThread : RuntimeThread
{
    public StoreBufferThread(Execution execution, int id, RuntimeThread owner, int capacity)
        : base(execution, id, owner.Name, owner.Number, $"{owner.Label}'s store buffer")
    {
        Store = new StoreBuffer(owner, capacity);
        owner.Buffer = Store;
        PendingKind = OperationKind.Drain;
        PendingWait = Store;
    }

    /// <summary>The buffer this entity drains.</summary>
    public StoreBuffer Store { get; }
}
