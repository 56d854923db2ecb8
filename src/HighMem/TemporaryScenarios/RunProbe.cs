using System.Diagnostics;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// What a native stress run observes of each round: the machine (for the watchdog), completed operations per CPU,
/// latencies (into the run's recorder) and invariant checks. Statistics only, never model state; not used under
/// systematic tests.
/// </summary>
public sealed class RunProbe
{
    private readonly long[] _opsPerCpu;
    private readonly StressRecorder _recorder;
    private long _progress;
    private long _checks;
    private volatile Machine? _machine;

    /// <summary>Creates a probe for <paramref name="cpus"/> CPUs.</summary>
    public RunProbe(int cpus)
        : this(cpus, new StressRecorder(cpus, TimeSpan.Zero))
    {
    }

    internal RunProbe(int cpus, StressRecorder recorder)
    {
        _opsPerCpu = new long[cpus];
        _recorder = recorder;
    }

    /// <summary>The machine of the running round.</summary>
    public Machine? Machine => _machine;

    /// <summary>Bumped on every operation and round: the watchdog's heartbeat.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>Invariant checks performed.</summary>
    public long InvariantChecks => Interlocked.Read(ref _checks);

    /// <summary>Completed operations per CPU.</summary>
    public IReadOnlyList<long> OperationsPerCpu => _opsPerCpu.Select(v => Interlocked.Read(ref v)).ToArray();

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
        _recorder.Latency(cpu, (long)Stopwatch.GetElapsedTime(startTimestamp).TotalNanoseconds);
    }

    /// <summary>Counts <paramref name="n"/> invariant checks.</summary>
    public void Checked(int n = 1) => Interlocked.Add(ref _checks, n);
}
