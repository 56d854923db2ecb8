using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Testing;

/// <summary>Turns a <see cref="TestRequest"/> into jobs; names and parameters the model rejects are usage errors.</summary>
internal static class TestPlanner
{
    public const string All = "all";
    public const string None = "none";

    public static TestPlan Plan(ICatalog catalog, TestRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        return request.Variant switch
        {
            null or None => new TestPlan(TestMode.Model, PlanModel(catalog, request)),
            All => new TestPlan(TestMode.SelfCheck, PlanSelfCheck(catalog, request)),
            var name => new TestPlan(TestMode.Variant, PlanVariant(catalog, request, Variant(catalog, name), selfCheck: false)),
        };
    }

    private static List<TestJob> PlanModel(ICatalog catalog, TestRequest request)
    {
        // A scenario that overflows on purpose answers with the kernel's BUG on the correct model: run it only by name.
        var scenarios = request.Scenario is null or All
            ? catalog.Scenarios.Where(s => !s.NeedsVariant).ToList()
            : [Scenario(catalog, request.Scenario)];
        if (scenarios.Count == 0) throw new UsageException("the catalog defines no scenarios to test");
        var strategy = request.Strategy ?? StrategyNames.Portfolio;
        if (request.Scenario is not (null or All)) return [Job(scenarios[0], request, null, strategy, explicitScenario: true)!];
        // Over every scenario, one that cannot take an override (e.g. --last-pkmap on a fixmap workload) is shown as
        // not run rather than dropped or run with the override ignored; if none can, the override itself is wrong.
        var jobs = scenarios.Select(s => Job(s, request, null, strategy, explicitScenario: false) ?? NotRun(s, request, null, strategy)).ToList();
        if (jobs.All(j => j.Rejected is not null))
            throw new UsageException($"no scenario accepts these parameters: {jobs[0].Scenario.Name}: {jobs[0].Rejected}");
        return jobs;
    }

    private static List<TestJob> PlanSelfCheck(ICatalog catalog, TestRequest request)
    {
        if (catalog.Variants.Count == 0) throw new UsageException("the catalog defines no bug variants to self-check");
        return catalog.Variants.SelectMany(v => PlanVariant(catalog, request, v, selfCheck: true)).ToList();
    }

    /// <summary>
    /// A variant runs on the scenario asked for, on every scenario that accepts it (<c>--scenario all</c>), or on
    /// the scenarios its documentation names, in that order.
    /// </summary>
    private static List<TestJob> PlanVariant(ICatalog catalog, TestRequest request, BugVariant variant, bool selfCheck)
    {
        var strategy = request.Strategy ?? variant.Strategy;
        if (request.Scenario is { } name && name != All)
        {
            var scenario = Scenario(catalog, name);
            return [Job(scenario, request, variant, strategy, explicitScenario: !selfCheck) ?? NotRun(scenario, request, variant, strategy)];
        }
        IEnumerable<IScenario> scenarios = request.Scenario == All
            ? catalog.Scenarios
            : variant.Scenarios.Select(s => catalog.FindScenario(s) ?? throw new InvalidOperationException(
                $"the catalog is inconsistent: variant '{variant.Name}' names scenario '{s}', which does not exist"));
        var candidates = scenarios.ToList();
        var jobs = candidates.Select(s => Job(s, request, variant, strategy, explicitScenario: false)).OfType<TestJob>().ToList();
        if (jobs.Count > 0) return jobs;
        if (!selfCheck) throw new UsageException($"variant '{variant.Name}' applies to none of the selected scenarios");
        var first = candidates.FirstOrDefault() ?? catalog.Scenarios.FirstOrDefault()
            ?? throw new UsageException("the catalog defines no scenarios to run the variants on");
        return [NotRun(first, request, variant, strategy)];
    }

    /// <summary>The self-check must show a variant it could not run as not found, never drop it.</summary>
    private static TestJob NotRun(IScenario scenario, TestRequest request, BugVariant? variant, string strategy)
    {
        var parameters = Parameters(scenario, request, variant);
        return new TestJob(scenario, parameters, strategy, variant)
        {
            Rejected = RejectionOf(scenario, parameters, request) ?? $"no scenario accepts variant '{variant?.Name}'",
        };
    }

    private static string? RejectionOf(IScenario scenario, ScenarioParameters parameters, TestRequest request)
    {
        if (ScenarioParameters.Unused(scenario, GivenParameters(request.Cpus, request.LastPkmap)) is { } unused) return unused;
        try
        {
            scenario.Validate(parameters);
            return null;
        }
        catch (ArgumentException e)
        {
            return OneLine(e.Message);
        }
    }

    /// <summary>A job, or null when the scenario rejects the parameters and the user did not name it.</summary>
    private static TestJob? Job(IScenario scenario, TestRequest request, BugVariant? variant, string strategy, bool explicitScenario)
    {
        var parameters = Parameters(scenario, request, variant);
        if (RejectionOf(scenario, parameters, request) is { } reason)
        {
            if (!explicitScenario) return null;
            throw new UsageException($"scenario '{scenario.Name}' rejects these parameters: {reason}");
        }
        return new TestJob(scenario, parameters, strategy, variant);
    }

    private static ScenarioParameters Parameters(IScenario scenario, TestRequest request, BugVariant? variant) =>
        scenario.Defaults with
        {
            Cpus = request.Cpus ?? scenario.Defaults.Cpus,
            LastPkmap = request.LastPkmap ?? scenario.Defaults.LastPkmap,
            Variant = variant?.Name ?? None,
        };

    private static IScenario Scenario(ICatalog catalog, string name) =>
        catalog.FindScenario(name) ?? throw new UsageException($"unknown scenario '{name}' (valid: {catalog.ScenarioNames(All)})");

    private static BugVariant Variant(ICatalog catalog, string name) =>
        catalog.Variant(name, None, All);

    /// <summary>The parameter names of the overrides given on the command line: a scenario must use each of them.</summary>
    internal static IEnumerable<string> GivenParameters(int? cpus, int? lastPkmap)
    {
        if (cpus is not null) yield return "cpus";
        if (lastPkmap is not null) yield return "lastPkmap";
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; keep the model's own sentence on one line.</summary>
    internal static string OneLine(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message.ReplaceLineEndings(" ").Trim();
    }
}
