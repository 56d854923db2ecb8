namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>How a native stress run is driven.</summary>
public sealed record StressOptions
{
    /// <summary>How long the workload runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No completed operation for this long is a hang: the watchdog dumps the model's state and fails the run.</summary>
    public TimeSpan WatchdogTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often invariants are checked (under kmap_lock) while running.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How the run perturbs its tasks (default: not at all).</summary>
    public StressPerturbation Perturbation { get; init; } = StressPerturbation.None;

    /// <summary>The seed of the perturbation's decisions (the run's <c>--seed</c>).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Receives progress about twice a second; may be null.</summary>
    public IProgress<StressProgress>? Progress { get; init; }
}

/// <summary>A progress snapshot of a stress run.</summary>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Operations">Operations completed so far.</param>
/// <param name="OperationsPerSecond">The run's mean rate so far.</param>
public sealed record StressProgress(TimeSpan Elapsed, long Operations, double OperationsPerSecond)
{
    /// <summary>
    /// Set once, on the snapshot reported the moment the hung-task watchdog fires (before it dumps the machine and
    /// aborts the round): why it fired, e.g. <c>task stress/0/CPU0 completed no operation for 1.0 s</c>.
    /// </summary>
    public string? WatchdogFired { get; init; }
}

/// <summary>Latency percentiles in nanoseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double Max);

/// <summary>Operations each CPU completed in the interval (<paramref name="Start"/>, <paramref name="End"/>] of a stress run.</summary>
/// <param name="Start">Start of the interval, from the start of the run.</param>
/// <param name="End">Its end.</param>
/// <param name="OperationsPerCpu">Operations completed in it, by CPU.</param>
public sealed record ThroughputSample(TimeSpan Start, TimeSpan End, IReadOnlyList<long> OperationsPerCpu);

/// <summary>How many latencies fell in [<paramref name="LowerNs"/>, <paramref name="UpperNs"/>) nanoseconds.</summary>
/// <param name="LowerNs">Lower bound (inclusive).</param>
/// <param name="UpperNs">Upper bound (exclusive).</param>
/// <param name="Count">Latencies in it.</param>
public sealed record LatencyBucket(double LowerNs, double UpperNs, long Count);

/// <summary>One CPU's kmap latency histogram: buckets by power of two, lowest to highest non-empty one.</summary>
/// <param name="Cpu">The CPU.</param>
/// <param name="Buckets">Its buckets (empty when it recorded none).</param>
public sealed record CpuLatency(int Cpu, IReadOnlyList<LatencyBucket> Buckets);

/// <summary>What a stress run measured and found.</summary>
public sealed record StressReport
{
    /// <summary>The scenario that ran.</summary>
    public required string Scenario { get; init; }

    /// <summary>Its parameters.</summary>
    public required ScenarioParameters Parameters { get; init; }

    /// <summary>Wall-clock time actually run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Completed operations (kmap + kunmap pairs, or the scenario's unit), in total.</summary>
    public required long Operations { get; init; }

    /// <summary>Completed operations per CPU.</summary>
    public required IReadOnlyList<long> OperationsPerCpu { get; init; }

    /// <summary>Operations per second.</summary>
    public double OperationsPerSecond => Elapsed.TotalSeconds > 0 ? Operations / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// Latency of the map call itself (kmap; kmap_atomic or kmap_local_page; vmalloc, vmap or ioremap), made by a task;
    /// not the whole operation.
    /// </summary>
    public required LatencySummary KmapLatency { get; init; }

    /// <summary>Operations per CPU over time, one point per sampling interval (empty when the scenario records none).</summary>
    public IReadOnlyList<ThroughputSample> Throughput { get; init; } = [];

    /// <summary>Each CPU's kmap latency histogram (empty when the scenario records none).</summary>
    public IReadOnlyList<CpuLatency> KmapLatencyPerCpu { get; init; } = [];

    /// <summary>Contention and activity counters by name: kmap_lock acquisitions and spins, sleeps on pkmap_map_wait, wraps, flushes, TLB shootdowns...</summary>
    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    /// <summary>Invariant checks performed.</summary>
    public required long InvariantChecks { get; init; }

    /// <summary>Violations found (empty when clean); each names the invariant and the slot/page/CPU.</summary>
    public required IReadOnlyList<string> Violations { get; init; }

    /// <summary>Set when the watchdog fired: who holds kmap_lock, who sleeps where, the pkmap_count histogram.</summary>
    public string? HangReport { get; init; }

    /// <summary>True when the run stopped early because of cancellation (Ctrl+C).</summary>
    public bool Canceled { get; init; }

    /// <summary>True when nothing went wrong.</summary>
    public bool Clean => Violations.Count == 0 && HangReport is null;
}
