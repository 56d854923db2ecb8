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

    /// <summary>Receives progress about twice a second; may be null.</summary>
    public IProgress<StressProgress>? Progress { get; init; }
}

/// <summary>A progress snapshot of a stress run.</summary>
public sealed record StressProgress(TimeSpan Elapsed, long Operations, double OperationsPerSecond);

/// <summary>Latency percentiles in nanoseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double Max);

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

    /// <summary>Latency of kmap calls.</summary>
    public required LatencySummary KmapLatency { get; init; }

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
