using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>The scenario a stress run runs, with its parameters and variant, checked.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Parameters">Its parameters, the variant included.</param>
/// <param name="Variant">The variant switched on, or null.</param>
public sealed record StressTarget(IScenario Scenario, ScenarioParameters Parameters, BugVariant? Variant)
{
    /// <summary>
    /// The target of <paramref name="request"/> in <paramref name="catalog"/>; unknown names and parameters the
    /// scenario refuses are <see cref="CampaignException"/>s.
    /// </summary>
    public static StressTarget Resolve(ICatalog catalog, StressRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var variant = request.Variant is null or TestPlanner.None ? null : catalog.Variant(request.Variant, TestPlanner.None);
        var name = request.Scenario ?? variant?.Scenarios.FirstOrDefault() ?? catalog.Scenarios.FirstOrDefault()?.Name
            ?? throw new CampaignException("the catalog defines no scenarios to stress");
        var scenario = catalog.Scenario(name);
        var parameters = request.Overrides.ApplyTo(scenario.Defaults, variant?.Name ?? TestPlanner.None);
        if (request.Overrides.RejectionBy(scenario, parameters) is { } reason)
            throw new CampaignException($"scenario '{scenario.Name}' rejects these parameters: {reason}");
        return new StressTarget(scenario, MoreTasks(scenario, DefaultCpus(scenario, parameters, request), request), variant);
    }

    /// <summary>
    /// <paramref name="parameters"/> with the request's default CPU count, where the user gave no <c>--cpus</c> and the
    /// scenario runs on that many; otherwise unchanged (a scenario made for one CPU, or for exactly eight, keeps its own).
    /// </summary>
    private static ScenarioParameters DefaultCpus(IScenario scenario, ScenarioParameters parameters, StressRequest request)
    {
        if (request.Overrides.Cpus is not null || request.DefaultCpus is not { } cpus || cpus == parameters.Cpus) return parameters;
        var perCore = parameters with { Cpus = cpus };
        try
        {
            scenario.Validate(perCore);
            return perCore;
        }
        catch (ArgumentException)
        {
            return parameters;
        }
    }

    /// <summary>
    /// <paramref name="parameters"/> with the perturbation's tasks per CPU, where it asks for more than the scenario
    /// runs, the user gave no <c>--tasks-per-cpu</c> and the scenario takes it; otherwise unchanged. The run's
    /// parameters, and so its reproduction's, are the result.
    /// </summary>
    private static ScenarioParameters MoreTasks(IScenario scenario, ScenarioParameters parameters, StressRequest request)
    {
        if (request.Perturbation?.TasksPerCpu is not { } tasks || request.Overrides.TasksPerCpu is not null || tasks <= parameters.TasksPerCpu ||
            !scenario.Honours.Contains("tasksPerCpu"))
            return parameters;
        var more = parameters with { TasksPerCpu = tasks };
        try
        {
            scenario.Validate(more);
            return more;
        }
        catch (ArgumentException)
        {
            return parameters;   // fixed task roles, or a bound: the scenario's own tasks
        }
    }

    /// <summary>"scenario + variant" (or the scenario alone) for progress lines.</summary>
    public string Label => Parameters.Variant == TestPlanner.None ? Scenario.Name : $"{Scenario.Name} + {Parameters.Variant}";
}
