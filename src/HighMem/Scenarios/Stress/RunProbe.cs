using System.Diagnostics;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// What the native stress driver observes of each round: the machine (for the watchdog), completed operations per
/// CPU and per task, kmap latencies (into the run's recorder), invariant checks and violations. Statistics only,
/// never model state; not used under systematic tests.
/// </summary>
public sealed class RunProbe
{
    private readonly long[] _opsPerCpu;
    private readonly long[] _opsPerTask;
    private readonly StressRecorder _recorder;
    private readonly List<string> _violations = [];
    private long _progress;
    private long _checks;
    private volatile StressRound? _round;
    private CancellationToken _stop;

    /// <summary>Creates a probe for <paramref name="cpus"/> CPUs.</summary>
    public RunProbe(int cpus)
        : this(cpus, 0, new StressRecorder(cpus, TimeSpan.Zero))
    {
    }

    internal RunProbe(int cpus, int tasks, StressRecorder recorder)
    {
        _opsPerCpu = new long[cpus];
        _opsPerTask = new long[tasks];
        _recorder = recorder;
    }

    /// <summary>The machine of the running round.</summary>
    public Machine? Machine => _round?.Machine;

    /// <summary>The running round's machine and how to describe it.</summary>
    internal StressRound? Round => _round;

    /// <summary>Bumped on every operation and round: the watchdog's heartbeat.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>Invariant checks performed.</summary>
    public long InvariantChecks => Interlocked.Read(ref _checks);

    /// <summary>Completed operations per CPU.</summary>
    public IReadOnlyList<long> OperationsPerCpu => _opsPerCpu.Select(v => Interlocked.Read(ref v)).ToArray();

    /// <summary>Violations found so far, in the order found.</summary>
    internal IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations) return _violations.ToArray();
        }
    }

    /// <summary>Called by a scenario once it has built the machine of a new round (the watchdog aborts it on a hang).</summary>
    public void BeginRound(Machine machine) => BeginRound(new StressRound(machine));

    internal void BeginRound(StressRound round)
    {
        _round = round;
        Array.Clear(_opsPerTask);
        Interlocked.Increment(ref _progress);
    }

    /// <summary>The tasks of the coming round loop until <paramref name="stop"/> (set before the round starts its tasks).</summary>
    internal void LoopUntil(CancellationToken stop) => _stop = stop;

    /// <summary>
    /// Whether a task that has completed <paramref name="done"/> operations starts another: every task completes at
    /// least one, however late its thread starts, then loops until the round is stopped or its machine aborted.
    /// </summary>
    public bool More(int done) => done == 0 || !(_stop.IsCancellationRequested || Machine?.Aborted == true);

    /// <summary>Records one completed operation of <paramref name="task"/> (on its current CPU).</summary>
    public void Operation(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        Interlocked.Increment(ref _opsPerCpu[task.Cpu.Id]);
        if (task.Index < _opsPerTask.Length) Interlocked.Increment(ref _opsPerTask[task.Index]);
        Interlocked.Increment(ref _progress);
    }

    /// <summary>Completed operations of the running round's task <paramref name="index"/> (tasks the run sized for).</summary>
    internal long OperationsOfTask(int index) => index < _opsPerTask.Length ? Interlocked.Read(ref _opsPerTask[index]) : 0;

    /// <summary>
    /// Runs and times <paramref name="map"/>, one map call on <paramref name="cpu"/> (kmap_atomic,
    /// kmap_local_page; vmalloc, vmap or ioremap in a vmalloc workload): the one meaning of kmap latency in a
    /// stress report is the map call itself, as for the pkmap scenarios' kmap.
    /// </summary>
    public T TimeKmap<T>(int cpu, Func<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var start = Stopwatch.GetTimestamp();
        var result = map();
        KmapLatency(cpu, (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        return result;
    }

    /// <summary>One map call on <paramref name="cpu"/> took <paramref name="nanoseconds"/>.</summary>
    internal void KmapLatency(int cpu, long nanoseconds) => _recorder.Latency(cpu, nanoseconds);

    /// <summary>Counts <paramref name="n"/> invariant checks.</summary>
    public void Checked(int n = 1) => Interlocked.Add(ref _checks, n);

    /// <summary>Records a violation found while the round runs (a task's or a checker's).</summary>
    internal void Violation(string message)
    {
        lock (_violations) _violations.Add(message);
    }
}
