using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The scenario parameters a campaign sets instead of each scenario's defaults (null: the scenario's own). Every
/// one given must be one the scenario reads (<see cref="IScenario.Honours"/>): a scenario that would ignore it refuses
/// it, rather than record a value it never used. Bounds are <see cref="ScenarioParameters"/>'.
/// </summary>
/// <param name="Cpus">Simulated CPUs.</param>
/// <param name="TasksPerCpu">Kernel tasks per CPU.</param>
/// <param name="LastPkmap">LAST_PKMAP, the number of pkmap slots.</param>
/// <param name="Pages">Highmem pages the workload uses.</param>
/// <param name="OpsPerTask">Operations per task.</param>
public sealed record ParameterOverrides(int? Cpus = null, int? TasksPerCpu = null, int? LastPkmap = null, int? Pages = null, int? OpsPerTask = null)
{
    /// <summary>No override: every scenario runs with its defaults.</summary>
    public static ParameterOverrides None { get; } = new();

    /// <summary>The names (as <see cref="ScenarioParameters.Names"/> spells them) of the parameters given, in that order.</summary>
    public IEnumerable<string> Given
    {
        get
        {
            if (Cpus is not null) yield return "cpus";
            if (TasksPerCpu is not null) yield return "tasksPerCpu";
            if (LastPkmap is not null) yield return "lastPkmap";
            if (Pages is not null) yield return "pages";
            if (OpsPerTask is not null) yield return "opsPerTask";
        }
    }

    /// <summary><paramref name="defaults"/> with every given parameter set, and the variant <paramref name="variant"/>.</summary>
    public ScenarioParameters ApplyTo(ScenarioParameters defaults, string variant)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            Cpus = Cpus ?? defaults.Cpus,
            TasksPerCpu = TasksPerCpu ?? defaults.TasksPerCpu,
            LastPkmap = LastPkmap ?? defaults.LastPkmap,
            Pages = Pages ?? defaults.Pages,
            OpsPerTask = OpsPerTask ?? defaults.OpsPerTask,
            Variant = variant,
        };
    }

    /// <summary>
    /// Null when <paramref name="scenario"/> takes these overrides with the <paramref name="parameters"/> they make;
    /// otherwise the one-line reason it refuses them (a parameter it does not read, a bound, its own checks).
    /// </summary>
    public string? RejectionBy(IScenario scenario, ScenarioParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (ScenarioParameters.Unused(scenario, Given) is { } unused) return unused;
        try
        {
            scenario.Validate(parameters);
            return null;
        }
        catch (ArgumentException e)
        {
            return CampaignException.OneLine(e.Message);
        }
    }
}
