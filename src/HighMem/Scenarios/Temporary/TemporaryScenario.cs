using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The temporary-mapping and vmalloc family of <see cref="Scenario"/>: fixed frames instead of a page pool and no
/// pkmap slots of the user's choosing (so <c>lastPkmap</c> and <c>pages</c> are refused), two to eight CPUs unless the
/// workload says otherwise, and one
/// <see cref="Run"/> of the workload shared by the systematic test (<c>opsPerTask</c> operations per task) and the
/// native stress driver (one round for the whole run, each task looping over its operations until stopped, as the
/// pkmap scenarios do).
/// </summary>
/// <param name="name">Kebab-case name.</param>
/// <param name="description">One line: what the workload does.</param>
/// <param name="tasksPerCpu">Default kernel tasks per CPU.</param>
/// <param name="fixedTasks">True when the workload has fixed task roles, so the tasks per CPU cannot change.</param>
/// <param name="needsVariant">True when the workload breaks a kernel rule on purpose.</param>
/// <param name="cpus">Default number of CPUs.</param>
/// <param name="opsPerTask">Default operations per task.</param>
/// <param name="minCpus">The fewest CPUs the workload runs on.</param>
/// <param name="maxCpus">The most CPUs the workload runs on.</param>
public abstract class TemporaryScenario(string name, string description, int tasksPerCpu = 1,
    bool fixedTasks = false, bool needsVariant = false, int cpus = 2, int opsPerTask = 2, int minCpus = 2, int maxCpus = 8)
    : Scenario(name, description, new ScenarioParameters { Cpus = cpus, TasksPerCpu = tasksPerCpu, Pages = 4, OpsPerTask = opsPerTask },
        ["cpus", "tasksPerCpu", "opsPerTask", ScenarioParameters.VariantName], needsVariant)
{
    private protected override void CheckShape(ScenarioParameters parameters)
    {
        if (parameters.Cpus < minCpus) throw new ArgumentException($"scenario '{Name}' needs at least {minCpus} CPU{(minCpus == 1 ? "" : "s")}");
        if (parameters.Cpus > maxCpus) throw new ArgumentException($"scenario '{Name}' models at most {maxCpus} CPU{(maxCpus == 1 ? "" : "s")}");
        if (parameters.OpsPerTask > 1000) throw new ArgumentException("at most 1000 operations per task");
        if (fixedTasks && parameters.TasksPerCpu != Defaults.TasksPerCpu)
            throw new ArgumentException($"scenario '{Name}' has fixed task roles ({Defaults.TasksPerCpu} per CPU)");
    }

    private protected override void RunIteration(ScenarioParameters parameters) => Run(parameters, null);

    private protected override StressReport Stress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation) =>
        StressDriver.Run(Name, new Rounds(this, parameters), parameters, options, cancellation);

    /// <summary>
    /// One run of the workload (one iteration under test, the one round under stress): builds a fresh world, starts
    /// the tasks, each looping while <see cref="More"/> says so, waits for them and checks the quiescent invariants.
    /// <paramref name="probe"/> is null under test.
    /// </summary>
    public abstract void Run(ScenarioParameters parameters, RunProbe? probe);

    /// <summary>
    /// Runs one map call (kmap_atomic, kmap_local_page; vmalloc, vmap, ioremap), timed on the caller's CPU under
    /// stress: a stress report's kmap latency is the map call itself.
    /// </summary>
    protected static T Map<T>(RunProbe? probe, Func<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return probe is null ? map() : probe.TimeKmap(Machine.CurrentCpuOrThrow.Id, map);
    }

    /// <summary>
    /// Whether a task that has completed <paramref name="op"/> operations starts another: under test until
    /// <c>opsPerTask</c>; under stress at least one, then until the round is told to stop.
    /// </summary>
    protected static bool More(RunProbe? probe, ScenarioParameters parameters, int op)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return probe?.More(op) ?? op < parameters.OpsPerTask;
    }

    /// <summary>
    /// The end of every run: waits for the tasks (each one's exit checks run as it ends), checks the machine's
    /// quiescence — the kernel's own checks and those the model registered (leaks, vmlist, stray PTEs, stale TLBs) —
    /// and, under stress, counts <paramref name="checks"/> invariant checks.
    /// </summary>
    protected static void Quiesce(Machine machine, RunProbe? probe, int checks = 1)
    {
        ArgumentNullException.ThrowIfNull(machine);
        machine.JoinAll();
        machine.CheckQuiescent();
        probe?.Checked(checks);
    }

    /// <summary>Counts one completed operation of the current task (stress only).</summary>
    protected static void Done(RunProbe? probe) => probe?.Operation(KernelTask.Current!);

    /// <summary>Under stress, the one round is a <see cref="Run"/> whose tasks loop until <c>stop</c>.</summary>
    private sealed class Rounds(TemporaryScenario scenario, ScenarioParameters parameters) : IStressWorkload
    {
        public void RunRound(RunProbe probe, CancellationToken stop)
        {
            probe.LoopUntil(stop);
            scenario.Run(parameters, probe);
        }
    }
}
