using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>Runs catalog scenarios under the controlled scheduler with the options every runner gives them (<see cref="ScenarioTestOptions"/>).</summary>
internal static class SystematicRuns
{
    public static IScenario Scenario(string name) =>
        Catalog.FindScenario(name) ?? throw new ArgumentException($"no scenario '{name}'");

    public static TestOptions Options(IScenario scenario, ScenarioParameters parameters, string strategy, ulong seed, int iterations) =>
        ScenarioTestOptions.For(scenario, parameters, new TestOptions { Strategy = strategy, Seed = seed, Iterations = iterations });

    public static TestReport Run(string scenario, string variant, string strategy, ulong seed, int iterations)
    {
        var s = Scenario(scenario);
        var parameters = s.Defaults with { Variant = variant };
        return SystematicTest.Run(s.CreateTest(parameters), Options(s, parameters, strategy, seed, iterations));
    }

    /// <summary>The correct model of <paramref name="scenario"/> runs its whole budget under the strategy, without a bug.</summary>
    public static void AssertCleanForTheWholeBudget(string scenario, string strategy, ulong seed, int iterations)
    {
        var report = Run(scenario, "none", strategy, seed, iterations);
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(iterations, report.IterationsRun);
        Assert.Equal(StopReason.IterationBudget, report.StopReason);
    }
}
