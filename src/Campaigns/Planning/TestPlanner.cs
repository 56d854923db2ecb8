using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Turns a <see cref="CampaignRequest"/> into jobs over a catalog; names and parameters the model rejects are
/// <see cref="CampaignException"/>s.
/// </summary>
public static class TestPlanner
{
    /// <summary>The word for every scenario (<c>--scenario all</c>) or every variant (<c>--variant all</c>, the self-check).</summary>
    public const string All = "all";

    /// <summary>The word for no variant: the correct model.</summary>
    public const string None = VariantRegistry.None;

    /// <summary>The variants a self-check of <paramref name="request"/> leaves out: those found only under a memory model its engine does not run.</summary>
    public static IReadOnlyList<BugVariant> NotSelfChecked(ICatalog catalog, CampaignRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        return catalog.Variants.Where(v => !EngineRuns(request, v)).ToList();
    }

    /// <summary>The jobs of <paramref name="request"/> over <paramref name="catalog"/>, in the order they run.</summary>
    public static TestPlan Plan(ICatalog catalog, CampaignRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        CampaignEngines.CheckStrategy(request.Engine, request.Strategy);
        if (request.MemoryModel is { } model && model != Systematic.MemoryModel.Sc && request.Engine != CampaignEngines.Hmc)
            throw new CampaignException(EngineLacks(request.Engine, model));
        if (request.Iterations < 1) throw new CampaignException($"the iteration budget must be at least 1 (got {request.Iterations})");
        var plan = request.Variant switch
        {
            null or None => new TestPlan(TestMode.Model, PlanModel(catalog, request)),
            All => new TestPlan(TestMode.SelfCheck, PlanSelfCheck(catalog, request)),
            var name => new TestPlan(TestMode.Variant, PlanVariant(catalog, request, RunnableVariant(catalog.Variant(name, None, All), request), selfCheck: false)),
        };
        return plan with
        {
            Jobs = plan.Jobs.Select(j => j with { MemoryModel = request.MemoryModel ?? j.Variant?.MemoryModel ?? Systematic.MemoryModel.Sc }).ToList(),
        };
    }

    /// <summary>The one wording of an engine without store buffers asked for a model that needs them.</summary>
    private static string EngineLacks(string engine, Systematic.MemoryModel model) =>
        $"the {engine} engine runs only memory model 'sc': its scheduler does not choose when stores become visible (memory model '{Systematic.MemoryModelNames.Name(model)}' runs on the hmc engine)";

    /// <summary>Whether the request's engine can run <paramref name="variant"/> under the model it is found under.</summary>
    private static bool EngineRuns(CampaignRequest request, BugVariant variant) =>
        request.Engine == CampaignEngines.Hmc || (request.MemoryModel ?? variant.MemoryModel) == Systematic.MemoryModel.Sc;

    private static BugVariant RunnableVariant(BugVariant variant, CampaignRequest request) => EngineRuns(request, variant) ? variant
        : throw new CampaignException($"variant '{variant.Name}' is found only under memory model '{Systematic.MemoryModelNames.Name(variant.MemoryModel)}': " +
                                      EngineLacks(request.Engine, variant.MemoryModel));

    private static List<TestJob> PlanModel(ICatalog catalog, CampaignRequest request)
    {
        // A scenario that overflows on purpose answers with the kernel's BUG on the correct model: run it only by name.
        var scenarios = request.Scenario is null or All
            ? catalog.Scenarios.Where(s => !s.NeedsVariant).ToList()
            : [catalog.Scenario(request.Scenario, All)];
        if (scenarios.Count == 0) throw new CampaignException("the catalog defines no scenarios to test");
        var strategy = request.Strategy ?? StrategyNames.Portfolio;
        if (request.Scenario is not (null or All)) return [Job(scenarios[0], request, null, strategy, explicitScenario: true)!];
        // Over every scenario, one that cannot take an override (e.g. --last-pkmap on a fixmap workload) is shown as
        // not run rather than dropped or run with the override ignored; if none can, the override itself is wrong.
        var jobs = scenarios.Select(s => Job(s, request, null, strategy, explicitScenario: false) ?? NotRun(s, request, null, strategy)).ToList();
        if (jobs.All(j => j.Rejected is not null))
            throw new CampaignException($"no scenario accepts these parameters: {jobs[0].Scenario.Name}: {jobs[0].Rejected}");
        return jobs;
    }

    private static List<TestJob> PlanSelfCheck(ICatalog catalog, CampaignRequest request)
    {
        if (catalog.Variants.Count == 0) throw new CampaignException("the catalog defines no bug variants to self-check");
        // An engine without store buffers self-checks the variants any interleaving shows (Coyote: every one but the
        // hardware's); SelfCheckScope says which it left out.
        return catalog.Variants.Where(v => EngineRuns(request, v)).SelectMany(v => PlanVariant(catalog, request, v, selfCheck: true)).ToList();
    }

    /// <summary>
    /// A variant runs on the scenario asked for, on every scenario that accepts it (<c>all</c>), or on the scenarios
    /// its documentation names, in that order.
    /// </summary>
    private static List<TestJob> PlanVariant(ICatalog catalog, CampaignRequest request, BugVariant variant, bool selfCheck)
    {
        var strategy = request.Strategy ?? variant.Strategy;
        if (request.Scenario is { } name && name != All)
        {
            var scenario = catalog.Scenario(name, All);
            return [Job(scenario, request, variant, strategy, explicitScenario: !selfCheck) ?? NotRun(scenario, request, variant, strategy)];
        }
        IEnumerable<IScenario> scenarios = request.Scenario == All
            ? catalog.Scenarios
            : variant.Scenarios.Select(s => catalog.FindScenario(s) ?? throw new InvalidOperationException(
                $"the catalog is inconsistent: variant '{variant.Name}' names scenario '{s}', which does not exist"));
        var candidates = scenarios.ToList();
        var jobs = candidates.Select(s => Job(s, request, variant, strategy, explicitScenario: false)).OfType<TestJob>().ToList();
        if (jobs.Count > 0) return jobs;
        if (!selfCheck) throw new CampaignException($"variant '{variant.Name}' applies to none of the selected scenarios");
        var first = candidates.FirstOrDefault() ?? catalog.Scenarios.FirstOrDefault()
            ?? throw new CampaignException("the catalog defines no scenarios to run the variants on");
        return [NotRun(first, request, variant, strategy)];
    }

    /// <summary>The self-check must show a variant it could not run as not found, never drop it.</summary>
    private static TestJob NotRun(IScenario scenario, CampaignRequest request, BugVariant? variant, string strategy)
    {
        var parameters = request.Overrides.ApplyTo(scenario.Defaults, variant?.Name ?? None);
        return new TestJob(scenario, parameters, strategy, variant)
        {
            Rejected = request.Overrides.RejectionBy(scenario, parameters) ?? $"no scenario accepts variant '{variant?.Name}'",
        };
    }

    /// <summary>A job, or null when the scenario rejects the parameters and the user did not name it.</summary>
    private static TestJob? Job(IScenario scenario, CampaignRequest request, BugVariant? variant, string strategy, bool explicitScenario)
    {
        var parameters = request.Overrides.ApplyTo(scenario.Defaults, variant?.Name ?? None);
        if (request.Overrides.RejectionBy(scenario, parameters) is { } reason)
        {
            if (!explicitScenario) return null;
            throw new CampaignException($"scenario '{scenario.Name}' rejects these parameters: {reason}");
        }
        return new TestJob(scenario, parameters, strategy, variant);
    }
}
