using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// Activity counters of one machine: the kernel events a run reached (a wrap, a sleep on pkmap_map_wait, a TLB IPI).
/// Natively they are the stress report's counters; under test each bump also covers the event (<see cref="Sim.Cover"/>),
/// so a campaign reports how many schedules reached each. Each is bumped with an interlocked add; they are
/// statistics, not model state, so they carry no scheduling point.
/// </summary>
public sealed class KernelCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox> _counters = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _contextNames = new();

    /// <summary>Adds <paramref name="delta"/> to the counter <paramref name="name"/>.</summary>
    public void Add(string name, long delta = 1)
    {
        Sim.Cover(name);
        var box = _counters.GetOrAdd(name, static _ => new StrongBox());
        Interlocked.Add(ref box.Value, delta);
    }

    /// <summary>
    /// <paramref name="operation"/>'s event in the context it ran in (<c>kmap_atomic.softirq</c>).
    /// </summary>
    public void AddInContext(string operation, ContextKind context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        // One name per context, made once per machine, so that counting a hot operation allocates nothing after its first time.
        var names = _contextNames.GetOrAdd(operation, static op => [$"{op}.process", $"{op}.softirq", $"{op}.hardirq", $"{op}.nmi"]);
        Add(names[(int)context]);
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
