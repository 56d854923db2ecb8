namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// What a stress run records over time for people to look at (<c>hmc stress --html</c>): each CPU's operations per
/// sampling interval and each CPU's kmap latency histogram. The stress driver feeds it through three calls, so it
/// is the one place these series are kept: <see cref="Latency"/> from the tasks (thread-safe), <see cref="Sample"/>
/// from the driver's monitor loop with its cumulative per-CPU counts (one thread), <see cref="Finish"/> at the end.
/// </summary>
internal sealed class StressRecorder
{
    /// <summary>About this many throughput points per run, whatever its length.</summary>
    private const int TargetSamples = 100;

    /// <summary>Shorter intervals than the monitor loop's 20 ms poll would only be jitter.</summary>
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(50);

    private readonly LatencyHistogram[] _latency;
    private readonly List<ThroughputSample> _throughput = [];
    private readonly TimeSpan _interval;
    private long[] _lastCounts;
    private TimeSpan _lastAt;

    /// <summary>A recorder for <paramref name="cpus"/> CPUs and a run of about <paramref name="duration"/>.</summary>
    public StressRecorder(int cpus, TimeSpan duration)
    {
        _latency = Enumerable.Range(0, cpus).Select(_ => new LatencyHistogram()).ToArray();
        _lastCounts = new long[cpus];
        var interval = duration / TargetSamples;
        _interval = interval > MinimumInterval ? interval : MinimumInterval;
    }

    /// <summary>A map call (kmap, kmap_atomic, kmap_local_page, vmalloc...) on <paramref name="cpu"/> took <paramref name="nanoseconds"/>.</summary>
    public void Latency(int cpu, long nanoseconds) => _latency[cpu].Record(nanoseconds);

    /// <summary>The monitor loop's look at the cumulative operations per CPU; keeps a point once an interval has passed.</summary>
    public void Sample(TimeSpan elapsed, IReadOnlyList<long> operationsPerCpu)
    {
        if (elapsed - _lastAt >= _interval) Add(elapsed, operationsPerCpu);
    }

    /// <summary>The last, possibly shorter, interval.</summary>
    public void Finish(TimeSpan elapsed, IReadOnlyList<long> operationsPerCpu)
    {
        if (elapsed > _lastAt) Add(elapsed, operationsPerCpu);
    }

    /// <summary>Operations per CPU per interval, in time order.</summary>
    public IReadOnlyList<ThroughputSample> Throughput => _throughput;

    /// <summary>Each CPU's kmap latency histogram.</summary>
    public IReadOnlyList<CpuLatency> LatencyPerCpu() =>
        _latency.Select((h, cpu) => new CpuLatency(cpu, h.PowersOfTwo())).ToList();

    /// <summary>Percentiles over every CPU.</summary>
    public LatencySummary LatencySummary()
    {
        var total = new LatencyHistogram();
        foreach (var h in _latency) h.MergeInto(total);
        return total.Summarize();
    }

    private void Add(TimeSpan elapsed, IReadOnlyList<long> operationsPerCpu)
    {
        var counts = operationsPerCpu.ToArray();
        _throughput.Add(new ThroughputSample(_lastAt, elapsed, counts.Select((c, cpu) => c - _lastCounts[cpu]).ToArray()));
        _lastCounts = counts;
        _lastAt = elapsed;
    }
}
