using System.Collections.Concurrent;
using System.Diagnostics;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// What a native stress run observes of each round: the machine (for the watchdog), completed operations per CPU,
/// latency samples and invariant checks. Statistics only, never model state; not used under systematic tests.
/// </summary>
public sealed class RunProbe
{
    private const int MaxSamples = 200_000;
    private readonly long[] _opsPerCpu;
    private readonly ConcurrentQueue<long> _latencies = new();
    private long _progress;
    private long _checks;
    private int _samples;
    private volatile Machine? _machine;

    /// <summary>Creates a probe for <paramref name="cpus"/> CPUs.</summary>
    public RunProbe(int cpus) => _opsPerCpu = new long[cpus];

    /// <summary>The machine of the running round.</summary>
    public Machine? Machine => _machine;

    /// <summary>Bumped on every operation and round: the watchdog's heartbeat.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>Invariant checks performed.</summary>
    public long InvariantChecks => Interlocked.Read(ref _checks);

    /// <summary>Completed operations per CPU.</summary>
    public IReadOnlyList<long> OperationsPerCpu => _opsPerCpu.Select(v => Interlocked.Read(ref v)).ToArray();

    /// <summary>Latency samples in stopwatch ticks.</summary>
    public IReadOnlyCollection<long> Latencies => _latencies;

    /// <summary>Called by a scenario once it has built the machine of a new round (the watchdog aborts it on a hang).</summary>
    public void BeginRound(Machine machine)
    {
        _machine = machine;
        Interlocked.Increment(ref _progress);
    }

    /// <summary>Records one operation on <paramref name="cpu"/> that started at <paramref name="startTimestamp"/>.</summary>
    public void Operation(int cpu, long startTimestamp)
    {
        Interlocked.Increment(ref _opsPerCpu[cpu]);
        Interlocked.Increment(ref _progress);
        if (Interlocked.Increment(ref _samples) <= MaxSamples) _latencies.Enqueue(Stopwatch.GetTimestamp() - startTimestamp);
    }

    /// <summary>Counts <paramref name="n"/> invariant checks.</summary>
    public void Checked(int n = 1) => Interlocked.Add(ref _checks, n);
}
