using System.Diagnostics;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// What the native stress driver observes of each round: the machine (for the watchdog), completed operations per
/// CPU and per task, kmap latencies (into the run's recorder), invariant checks and violations. Statistics only,
/// never model state; not used under systematic tests. It also installs the run's perturbation on each round's
/// machine (<see cref="StressPerturbation"/>) and parks tasks in its stutter's pauses (<see cref="Boundary"/>).
/// </summary>
public sealed class RunProbe
{
    private readonly long[] _opsPerCpu;
    private readonly long[] _beatsPerTask;     // operations completed and pauses entered or left: the watchdog's per-task heartbeat
    private readonly int[] _parked;            // 1 while the task is parked in a stutter pause
    private readonly StressRecorder _recorder;
    private readonly StressPerturbation _perturbation;
    private readonly ulong _seed;
    private long _rounds;
    private volatile Stutter? _stutter;
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

    internal RunProbe(int cpus, int tasks, StressRecorder recorder, StressPerturbation? perturbation = null, ulong seed = 0)
    {
        _opsPerCpu = new long[cpus];
        _beatsPerTask = new long[tasks];
        _parked = new int[tasks];
        _recorder = recorder;
        _perturbation = perturbation ?? StressPerturbation.None;
        _seed = seed;
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
        var index = _rounds++;
        var clock = PerturbationPhases.StartClock();   // the round's: its stutter and its phases count from its start
        if (!_perturbation.IsNone)
            round.Machine.InstallPerturbation(new StressPerturber(_perturbation, _seed, index, round.Machine, _beatsPerTask.Length,
                new PerturbationPhases(_perturbation, clock)));
        // The stutter draws its bench decisions from a stream of its own: task -1, beside the tasks' 0, 1, ...
        _stutter = _perturbation.Stutters ? new Stutter(_perturbation, _beatsPerTask.Length, round.Machine, this, _stop,
            new PerturbationStream(_perturbation, _seed, index, task: -1), clock) : null;
        _round = round;
        Array.Clear(_beatsPerTask);
        Array.Clear(_parked);
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
        if (task.Index < _beatsPerTask.Length) Interlocked.Increment(ref _beatsPerTask[task.Index]);
        Interlocked.Increment(ref _progress);
    }

    /// <summary>
    /// Called by a workload whose operations are independent (a task holds nothing between two of them), by
    /// <paramref name="task"/> between two operations: in a pause of the run's stutter it parks here until the pause
    /// ends. Without a stutter it returns at once.
    /// </summary>
    public void Boundary(KernelTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _stutter?.Boundary(task);
    }

    /// <summary><paramref name="task"/> parks in (or leaves) a stutter pause: alive, not stalled.</summary>
    internal void Parked(KernelTask task, bool parked)
    {
        if (task.Index < _parked.Length)
        {
            Volatile.Write(ref _parked[task.Index], parked ? 1 : 0);
            Interlocked.Increment(ref _beatsPerTask[task.Index]);
        }
        Interlocked.Increment(ref _progress);
    }

    /// <summary>
    /// The heartbeat of the running round's task <paramref name="index"/> (tasks the run sized for): its completed
    /// operations plus its entries into and exits from stutter pauses.
    /// </summary>
    internal long HeartbeatOfTask(int index) => index < _beatsPerTask.Length ? Interlocked.Read(ref _beatsPerTask[index]) : 0;

    /// <summary>True while the running round's task <paramref name="index"/> is parked in a stutter pause.</summary>
    internal bool IsParked(int index) => index < _parked.Length && Volatile.Read(ref _parked[index]) != 0;

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
