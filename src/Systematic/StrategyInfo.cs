namespace HighMemConcurrency.Systematic;

/// <summary>An exploration strategy <see cref="TestOptions.Strategy"/> accepts.</summary>
/// <param name="Name">The name to pass.</param>
/// <param name="Description">What it does, in one line.</param>
public sealed record StrategyInfo(string Name, string Description)
{
    /// <summary>
    /// True when each iteration is drawn from (seed, iteration) alone, within a <see cref="SystematicTest.IterationBlock"/>,
    /// so a run may start at any <see cref="TestOptions.FirstIteration"/>; false for strategies that enumerate a space
    /// from its start, and for every Coyote strategy (Coyote advances one generator across iterations). Not part of
    /// <c>hmc list</c>'s output, which describes both engines' strategies.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Samples { get; init; }
}
