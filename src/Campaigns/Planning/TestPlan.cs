using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>What <c>hmc test</c> checks.</summary>
public enum TestMode
{
    /// <summary>The correct model: any bug is a finding.</summary>
    Model,

    /// <summary>One bug variant switched on: the bug is expected and written as a trace.</summary>
    Variant,

    /// <summary><c>--variant all</c>: every variant must be found, as its documented kind.</summary>
    SelfCheck,
}

/// <summary>One scenario, with its parameters, under one strategy.</summary>
/// <param name="Scenario">The workload.</param>
/// <param name="Parameters">Its parameters, variant included.</param>
/// <param name="Strategy">random, pct, dfs or portfolio.</param>
/// <param name="Variant">The variant switched on, or null for the correct model.</param>
public sealed record TestJob(IScenario Scenario, ScenarioParameters Parameters, string Strategy, BugVariant? Variant)
{
    /// <summary>"scenario" or "scenario + variant", for progress lines.</summary>
    public string Label => Variant is null ? Scenario.Name : $"{Scenario.Name} + {Variant.Name}";

    /// <summary>Why the scenario cannot run this job (self-check only: reported as not found); null when it can.</summary>
    public string? Rejected { get; init; }

    /// <summary>The memory model the job runs under: the request's, else the variant's, else sequential consistency.</summary>
    public Systematic.MemoryModel MemoryModel { get; init; } = Systematic.MemoryModel.Sc;
}

/// <summary>The jobs of one run, in order.</summary>
/// <param name="Mode">What the run checks.</param>
/// <param name="Jobs">Its jobs, in the order they run.</param>
public sealed record TestPlan(TestMode Mode, IReadOnlyList<TestJob> Jobs);
