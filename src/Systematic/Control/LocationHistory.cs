namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// Every store to one <see cref="SimVar{T}"/> or <see cref="SimAtomic"/> in one execution under
/// <see cref="MemoryModel.Arm"/>, in modification order (the order they ran in), starting with the value the location
/// had when the execution first touched it. A load chooses among the newest of them (<see cref="WeakMemory"/>).
/// </summary>
internal sealed class LocationHistory(int slot, object? initial, string? shown)
{
    /// <summary>One store: its value, the value as interleavings show it (or null), the view a reader that acquires
    /// it takes in, and (race detection) the happens-before clock a load that reads it observes.</summary>
    public readonly record struct Message(object? Value, string? Shown, MemoryView? View, VectorClock? Clock);

    private readonly List<Message> _messages = [new(initial, shown, null, null)];

    /// <summary>The location's index in every <see cref="MemoryView"/>.</summary>
    public int Slot { get; } = slot;

    /// <summary>Stores so far, the initial value included.</summary>
    public int Count => _messages.Count;

    /// <summary>The store at <paramref name="position"/> in modification order.</summary>
    public Message this[int position] => _messages[position];

    /// <summary>The newest store (the value memory holds).</summary>
    public Message Newest => _messages[^1];

    /// <summary>Appends a store; returns its position.</summary>
    public int Add(Message message)
    {
        _messages.Add(message);
        return _messages.Count - 1;
    }
}
