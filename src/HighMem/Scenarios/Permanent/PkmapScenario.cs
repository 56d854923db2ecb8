using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>The operation <paramref name="op"/> of task <paramref name="task"/> (global index) of a pkmap workload.</summary>
internal delegate void PkmapWorkload(HighMemModel model, ScenarioParameters parameters, int task, int op);

/// <summary>
/// The permanent-mapping family of <see cref="Scenario"/>: a fresh pkmap model per run, every task running the
/// workload's operations, quiescence checked at the end; natively the stress driver runs the same operations (<see cref="PkmapStressWorkload"/>).
/// </summary>
/// <param name="name">Kebab-case name.</param>
/// <param name="description">One line: what the workload does.</param>
/// <param name="defaults">Default parameters.</param>
/// <param name="workload">What each task does per operation (see <see cref="PkmapClient"/>).</param>
/// <param name="minPages">Fewest pages the workload needs.</param>
/// <param name="archNeedsKmapHighGet">ARM flavour: kmap_lock with IRQs off, kmap_high_get, broadcast TLB maintenance.</param>
internal sealed class PkmapScenario(string name, string description, ScenarioParameters defaults, PkmapWorkload workload,
    int minPages = 1, bool archNeedsKmapHighGet = false) : Scenario(name, description, defaults)
{
    private protected override void CheckShape(ScenarioParameters parameters)
    {
        if (parameters.Cpus < 1) throw new ArgumentException("cpus must be at least 1");
        if (parameters.LastPkmap < 2 || (parameters.LastPkmap & (parameters.LastPkmap - 1)) != 0)
            throw new ArgumentException($"lastPkmap must be a power of two ≥ 2, found {parameters.LastPkmap}");
        if (parameters.Pages < minPages) throw new ArgumentException($"scenario '{Name}' needs at least {minPages} pages, found {parameters.Pages}");
    }

    private protected override void RunIteration(ScenarioParameters parameters)
    {
        var model = CreateModel(parameters, checkInvariantsOnUnlock: true);
        model.Machine.StartTasks("kmapd", parameters.TasksPerCpu, index =>
        {
            for (var op = 0; op < parameters.OpsPerTask; op++) Operation(model, parameters, index, op);
        });
        model.Machine.JoinAll();
        model.Machine.CheckQuiescent();   // the pkmap invariants and counts among them (the model registers them)
    }

    private protected override StressReport Stress(ScenarioParameters parameters, StressOptions options, CancellationToken cancellation) =>
        StressDriver.Run(Name, new PkmapStressWorkload(this, parameters, options), parameters, options, cancellation);

    /// <summary>A fresh model for one run, with the scenario's interrupt handlers registered.</summary>
    internal HighMemModel CreateModel(ScenarioParameters parameters, bool checkInvariantsOnUnlock)
    {
        var model = HighMemModel.Create(parameters.Cpus, parameters.Pages, new PkmapOptions
        {
            LastPkmap = parameters.LastPkmap,
            HashBuckets = 4,
            ArchNeedsKmapHighGet = archNeedsKmapHighGet,
            Variant = VariantRegistry.Switch(parameters.Variant),
            CheckInvariantsOnUnlock = checkInvariantsOnUnlock,
        });
        return model;
    }

    /// <summary>Operation <paramref name="op"/> of task <paramref name="task"/> (global index).</summary>
    internal void Operation(HighMemModel model, ScenarioParameters parameters, int task, int op) => workload(model, parameters, task, op);
}
