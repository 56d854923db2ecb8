using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>
/// The one mapping from a scenario run to the engine's options: its name and parameters go into every trace, and the
/// livelock bound grows with the configuration (<see cref="ScenarioParameters.StepBound"/>), so that a correct model
/// is never called a livelock whoever runs it — the campaign, the Coyote entry points, the tests, the benchmarks.
/// </summary>
public static class ScenarioTestOptions
{
    /// <summary>
    /// <paramref name="options"/> (default: the engine's defaults) with the test name, assembly, parameters and step bound of
    /// <paramref name="scenario"/> run with <paramref name="parameters"/>.
    /// </summary>
    public static TestOptions For(IScenario scenario, ScenarioParameters parameters, TestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(parameters);
        return (options ?? new TestOptions()) with
        {
            TestName = scenario.Name,
            Assembly = scenario.Assembly,
            Parameters = parameters.ToDictionary(),
            MaxSteps = parameters.StepBound,
        };
    }
}
