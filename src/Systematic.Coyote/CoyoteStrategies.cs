using Microsoft.Coyote;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>The strategy names <see cref="CoyoteTest"/> accepts, and the Coyote configuration each one means.</summary>
public static class CoyoteStrategies
{
    /// <summary>Every valid name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["random", "pct", "pct-fair", "probabilistic", "delay-bounding", "qlearning", "portfolio"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the valid strategies when <paramref name="name"/> is none of them.</summary>
    public static void CheckName(string name)
    {
        if (!Names.Contains(name))
            throw new ArgumentException($"unknown Coyote strategy '{name}' (valid: {string.Join(", ", Names)})", nameof(TestOptions.Strategy));
    }

    // PctDepth is Coyote's priority-switch bound for prioritization; the other strategies keep Coyote's own defaults.
    internal static Configuration Apply(Configuration configuration, TestOptions options) => options.Strategy switch
    {
        "random" => configuration.WithRandomStrategy(),
        "pct" => configuration.WithPrioritizationStrategy(false, (uint)options.PctDepth),
        "pct-fair" => configuration.WithPrioritizationStrategy(true, (uint)options.PctDepth),
        "probabilistic" => configuration.WithProbabilisticStrategy(),
        "delay-bounding" => configuration.WithDelayBoundingStrategy(false),
        "qlearning" => configuration.WithQLearningStrategy(),
        "portfolio" => configuration,   // Coyote's default: a fair portfolio rotating each iteration
        _ => throw new ArgumentException($"unknown Coyote strategy '{options.Strategy}' (valid: {string.Join(", ", Names)})", nameof(TestOptions.Strategy)),
    };
}
