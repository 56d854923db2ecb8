namespace HighMemConcurrency.Systematic;

/// <summary>An exploration strategy <see cref="TestOptions.Strategy"/> accepts.</summary>
/// <param name="Name">The name to pass.</param>
/// <param name="Description">What it does, in one line.</param>
public sealed record StrategyInfo(string Name, string Description);
