using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The one mapping of a scenario run to the engine's options: name, parameters and a step bound that grows with the configuration.</summary>
public sealed class ScenarioTestOptionsTests
{
    [Fact]
    public void The_options_name_the_scenario_record_its_parameters_and_bound_its_steps_by_its_size()
    {
        var scenario = Catalog.FindScenario("few-slots")!;
        var parameters = scenario.Defaults with { Cpus = 128, Variant = "wake-on-zero" };

        var options = ScenarioTestOptions.For(scenario, parameters, new TestOptions { Strategy = "dpor", Seed = 9, Iterations = 7 });

        Assert.Equal(("few-slots", "dpor", 9UL, 7), (options.TestName, options.Strategy, options.Seed, options.Iterations));
        Assert.Equal(parameters.ToDictionary(), options.Parameters);
        // 128 tasks × 2 operations × (128 tasks + 2 slots + 4 pages) × 100, over the 20,000 floor.
        Assert.Equal(20_000 + 100 * 128 * 2 * (128 + 2 + 4), options.MaxSteps);
        Assert.Equal(20_000 + 100 * 3 * 2 * (3 + 2 + 4), ScenarioTestOptions.For(scenario, scenario.Defaults).MaxSteps);
    }
}
