using System.Globalization;

namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// A shared-memory object whose stores may wait in a store buffer (<see cref="MemoryModel.Tso"/>):
/// <see cref="SimVar{T}"/> and <see cref="SimAtomic"/>.
/// </summary>
internal interface IBufferedLocation : ISimObject
{
    /// <summary>
    /// Makes a buffered store visible: writes <paramref name="value"/> to memory and publishes
    /// <paramref name="release"/> (the storing thread's clock when it stored, or null) as the store's release edge.
    /// </summary>
    void Commit(object? value, VectorClock? release, IControlledRuntime runtime);
}

/// <summary>
/// One controlled thread's FIFO store buffer under <see cref="MemoryModel.Tso"/>. Invariants: entries are in program
/// order, oldest first; there are at most <see cref="Capacity"/>; an entry is in exactly one buffer until it is made
/// visible, and then it is gone. As an <see cref="IWaitCondition"/> it is what the buffer's scheduled entity waits
/// for: something to make visible.
/// </summary>
internal sealed class StoreBuffer(RuntimeThread owner, int capacity) : IWaitCondition
{
    private struct Entry
    {
        public IBufferedLocation Target;
        public object? Value;
        public string? Shown;        // the value as the interleaving shows it, or null when it shows none
        public VectorClock? Release;
    }

    private readonly Entry[] _entries = new Entry[capacity];
    private int _head;

    /// <summary>The thread whose stores these are.</summary>
    public RuntimeThread Owner { get; } = owner;

    /// <summary>Entries the buffer holds at most.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Stores waiting to become visible.</summary>
    public int Count { get; private set; }

    /// <summary>The object of the oldest waiting store (what the next drain writes); null when empty.</summary>
    public IBufferedLocation? OldestTarget => Count == 0 ? null : _entries[_head].Target;

    /// <summary>
    /// Buffers a store of <paramref name="value"/> to <paramref name="target"/>. A full buffer first makes its oldest
    /// entry visible, within the storing thread's step (the CPU stalls until a slot is free), and notes it.
    /// </summary>
    public void Add(IBufferedLocation target, object? value, string? shown, VectorClock? release)
    {
        if (Count == _entries.Length)
        {
            Owner.Runtime.Note($"store buffer full: {DescribeOldest()} becomes visible first");
            DrainOldest();
        }
        ref var e = ref _entries[(_head + Count) % _entries.Length];
        e.Target = target;
        e.Value = value;
        e.Shown = shown;
        e.Release = release;
        Count++;
    }

    /// <summary>The newest buffered store to <paramref name="target"/>, which a load by the owner reads (store forwarding).</summary>
    public bool TryForward(IBufferedLocation target, out object? value)
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            ref var e = ref _entries[(_head + i) % _entries.Length];
            if (!ReferenceEquals(e.Target, target)) continue;
            value = e.Value;
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Makes the oldest store visible to every thread.</summary>
    public void DrainOldest()
    {
        ref var e = ref _entries[_head];
        var (target, value, release) = (e.Target, e.Value, e.Release);
        e = default;
        _head = (_head + 1) % _entries.Length;
        Count--;
        target.Commit(value, release, Owner.Runtime);
    }

    /// <summary>
    /// A full barrier by the owner (<c>smp_mb</c>, a locked instruction): every store it buffered becomes visible, in
    /// order, within its step; the step's note says how many.
    /// </summary>
    public void DrainAll()
    {
        if (Count == 0) return;
        Owner.Runtime.Note(Count == 1 ? $"barrier: {DescribeOldest()} becomes visible" : $"barrier: {Count} buffered stores become visible");
        while (Count > 0) DrainOldest();
    }

    /// <summary>The oldest store as the interleaving names it: <c>store of 1 to atomic 'x'</c>, <c>store to var 'y'</c>.</summary>
    public string DescribeOldest()
    {
        ref var e = ref _entries[_head];
        return e.Shown is null ? $"store to {e.Target.Describe()}" : $"store of {e.Shown} to {e.Target.Describe()}";
    }

    bool IWaitCondition.CanProceed(RuntimeThread waiter) => Count > 0;

    string IWaitCondition.DescribeWait(RuntimeThread waiter) => $"{Owner.Label}'s store buffer is empty";

    /// <summary>How an int value is shown in interleavings.</summary>
    public static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);
}
