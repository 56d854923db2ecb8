using HighMemConcurrency.HighMem.Variants;
using Xunit.Abstractions;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>The model's catalog under Coyote: every variant found, every correct scenario clean.</summary>
public sealed class ModelTests(ITestOutputHelper output)
{
    /// <summary>
    /// The Coyote strategy that finds each variant within the budget: the variant's documented strategy where Coyote
    /// has it (pct, random), random for one documented under our DFS.
    /// </summary>
    internal static string StrategyFor(BugVariant variant) => variant.Strategy switch
    {
        "pct" => "pct",
        _ => "random",
    };

    // Coyote runs sequential consistency only: the variants only store buffers make are for our engine.
    public static TheoryData<string> VariantNames() => new(VariantRegistry.All.Where(v => v.MemoryModel == MemoryModel.Sc).Select(v => v.Name));

    public static TheoryData<string> ScenarioNames() => new(Catalog.Scenarios.Where(s => !s.NeedsVariant).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Every_variant_is_found_within_1000_iterations_for_seeds_1_to_3(string name)
    {
        var variant = VariantRegistry.Find(name)!;
        var scenario = Catalog.FindScenario(variant.Scenarios[0])!;
        var parameters = scenario.Defaults with { Variant = variant.Name };
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var report = CoyoteTest.Run(scenario.CreateTest(parameters),
                ScenarioTestOptions.For(scenario, parameters, new TestOptions { Strategy = StrategyFor(variant), Iterations = 1000, Seed = seed }));
            output.WriteLine($"{name} seed {seed}: {report}");
            var bug = Assert.IsType<BugReport>(report.Bug);
            Assert.Equal(variant.ExpectedKind, bug.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Every_scenarios_correct_model_runs_300_iterations_clean(string name)
    {
        var scenario = Catalog.FindScenario(name)!;
        var report = CoyoteTest.Run(scenario.CreateTest(scenario.Defaults),
            ScenarioTestOptions.For(scenario, scenario.Defaults, new TestOptions { Strategy = "random", Iterations = 300, Seed = 1 }));
        output.WriteLine(report.ToString());
        Assert.Null(report.Bug);
        Assert.Equal(300, report.IterationsRun);
    }
}
