using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>What a native stress run runs, and how its failure is searched for under the systematic engine.</summary>
public sealed record StressRequest
{
    /// <summary>The default run length.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>The scenario, or null: with a variant the first scenario it names, otherwise the catalog's first.</summary>
    public string? Scenario { get; init; }

    /// <summary>The variant switched on, <c>none</c> or null (the correct model).</summary>
    public string? Variant { get; init; }

    /// <summary>Overrides of the scenario's parameters; each must be one the scenario reads.</summary>
    public ParameterOverrides Overrides { get; init; } = ParameterOverrides.None;

    /// <summary>
    /// The CPUs to run when <see cref="Overrides"/> gives none (the CLI: one per core, at least 2), where the scenario
    /// runs on that many; otherwise, or when null, the scenario's own number.
    /// </summary>
    public int? DefaultCpus { get; init; }

    /// <summary>How long the workload runs.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>The hung-task watchdog's timeout, or null for the workload's default.</summary>
    public TimeSpan? Watchdog { get; init; }

    /// <summary>Bound of the systematic search after a failure; zero turns it off.</summary>
    public TimeSpan ReproduceFor { get; init; } = StressReproducer.DefaultBudget;

    /// <summary>Seed of that search, and of the run's perturbation decisions.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How the run perturbs its tasks (default: not at all).</summary>
    public StressPerturbation Perturbation { get; init; } = StressPerturbation.None;

    /// <summary>
    /// Why the perturbation is refused for this run (one line), or null: an invalid value, or a pause or hold too long
    /// for the watchdog.
    /// </summary>
    public string? PerturbationProblem()
    {
        var perturbation = Perturbation ?? throw new InvalidOperationException("Perturbation must not be null (StressPerturbation.None is off)");
        if (perturbation.Problem() is { } problem) return problem;
        // A parked task is alive, but while the others wait for a straggler nobody completes an operation: a pause (or a
        // hold) as long as half the watchdog's timeout would leave a slow but correct straggler too little time.
        var watchdog = Watchdog ?? new StressOptions().WatchdogTimeout;
        if (perturbation.Stutters && perturbation.StutterPause * 2 > watchdog)
            return $"a stutter pause of {perturbation.StutterPause.TotalMilliseconds:0}ms needs a watchdog of at least twice that (--watchdog)";
        if (perturbation.HoldChance > 0 && perturbation.HoldMax * 2 > watchdog)
            return $"a hold of up to {perturbation.HoldMax.TotalMilliseconds:0}ms needs a watchdog of at least twice that (--watchdog)";
        return null;
    }
}
