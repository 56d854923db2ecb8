namespace HighMemConcurrency.Kernel;

/// <summary>
/// Activity counters of one machine, for stress reports. Each is bumped with an interlocked add; they are
/// statistics, not model state, so they carry no scheduling point.
/// </summary>
public sealed class KernelCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox> _counters = new();

    /// <summary>Adds <paramref name="delta"/> to the counter <paramref name="name"/>.</summary>
    public void Add(string name, long delta = 1)
    {
        var box = _counters.GetOrAdd(name, static _ => new StrongBox());
        Interlocked.Add(ref box.Value, delta);
    }

    /// <summary>The counter's value (0 if never bumped).</summary>
    public long this[string name] => _counters.TryGetValue(name, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>A snapshot of every counter.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counters.ToDictionary(kv => kv.Key, kv => Interlocked.Read(ref kv.Value.Value));

    private sealed class StrongBox
    {
        public long Value;
    }
}
