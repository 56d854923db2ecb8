using System.Diagnostics;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// Common shape of the temporary-mapping scenarios: validation against the variants a scenario accepts, the
/// systematic test body, and the native stress run, all built on one <see cref="Run"/> of the workload.
/// </summary>
public abstract class TemporaryScenario : IScenario
{
    /// <inheritdoc />
    public virtual bool NeedsVariant => false;

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Description { get; }

    /// <inheritdoc />
    public virtual ScenarioParameters Defaults => new() { Cpus = 2, TasksPerCpu = 1, Pages = 4, OpsPerTask = 2 };

    /// <summary>The bug variants this scenario can run (besides <c>none</c>).</summary>
    public abstract IReadOnlyList<string> Variants { get; }

    /// <summary>No pkmap slots and no page pool: the temporary workloads use their own fixed frames.</summary>
    public IReadOnlyCollection<string> Honours { get; } = ["cpus", "tasksPerCpu", "opsPerTask", ScenarioParameters.VariantName];

    /// <summary>The fewest CPUs the workload needs.</summary>
    protected virtual int MinCpus => 2;

    /// <summary>True when the workload has fixed task roles, so <see cref="ScenarioParameters.TasksPerCpu"/> cannot change.</summary>
    protected virtual bool FixedTasks => false;

    /// <inheritdoc />
    public void Validate(ScenarioParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Variant != "none" && !Variants.Contains(parameters.Variant))
            throw new ArgumentException(Catalog.FindVariant(parameters.Variant) is null
                ? $"unknown variant '{parameters.Variant}'"
                : $"variant '{parameters.Variant}' does not apply to scenario '{Name}' (it takes: {string.Join(", ", Variants)})");
        parameters.CheckFor(this);
        if (parameters.Cpus < MinCpus) throw new ArgumentException($"scenario '{Name}' needs at least {MinCpus} CPUs");
        if (parameters.Cpus > 8) throw new ArgumentException($"scenario '{Name}' models at most 8 CPUs");
        if (parameters.OpsPerTask > 1000) throw new ArgumentException("at most 1000 operations per task");
        if (FixedTasks && parameters.TasksPerCpu != Defaults.TasksPerCpu)
            throw new ArgumentException($"scenario '{Name}' has fixed task roles ({Defaults.TasksPerCpu} per CPU)");
    }

    /// <inheritdoc />
    public Action CreateTest(ScenarioParameters parameters)
    {
        Validate(parameters);
        return () => Run(parameters, null);
    }

    /// <inheritdoc />
    public StressReport RunStress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        Validate(parameters);
        return StressDriver.Run(this, parameters, options, cancellation);
    }

    /// <summary>
    /// One run of the workload (one iteration under test, one round under stress): builds a fresh world, starts the
    /// tasks, waits for them and checks the quiescent invariants. <paramref name="probe"/> is null under test.
    /// </summary>
    public abstract void Run(ScenarioParameters parameters, RunProbe? probe);

    /// <summary>Starts a timed operation (stress only).</summary>
    protected static long Begin(RunProbe? probe) => probe is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>Ends a timed operation on the caller's CPU (stress only).</summary>
    protected static void End(RunProbe? probe, long start)
    {
        if (probe is not null) probe.Operation(Machine.CurrentCpuOrThrow.Id, start);
    }
}
