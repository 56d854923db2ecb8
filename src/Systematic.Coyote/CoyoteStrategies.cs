using Microsoft.Coyote;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>The strategy names <see cref="CoyoteTest"/> accepts, and the Coyote configuration each one means.</summary>
public static class CoyoteStrategies
{
    /// <summary>
    /// Every strategy with what it is, in the order help texts list them. None has <see cref="StrategyInfo.Samples"/>:
    /// Coyote draws every iteration's schedule from one generator it advances across iterations, so a run cannot
    /// start part-way.
    /// </summary>
    public static IReadOnlyList<StrategyInfo> Described { get; } =
    [
        new("random", "Coyote: uniform random choice at every scheduling point"),
        new("pct", "Coyote: prioritization (PCT), --pct-depth priority switches"),
        new("pct-fair", "Coyote: prioritization for half of the step bound, then fair random"),
        new("probabilistic", "Coyote: probabilistic random, switching with a small probability"),
        new("delay-bounding", "Coyote: delay bounding"),
        new("qlearning", "Coyote: Q-learning guided by the operations' states"),
        new("portfolio", "Coyote: its default fair portfolio (random, probabilistic, prioritization, delay bounding in turn per iteration)"),
    ];

    /// <summary>Every valid name, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = Described.Select(s => s.Name).ToArray();

    /// <summary>Throws <see cref="ArgumentException"/> naming the valid strategies when <paramref name="name"/> is none of them.</summary>
    public static void CheckName(string name) => Check(name);

    internal static StrategyInfo Check(string name) =>
        TestEngineStrategies.Find(Described, name) ?? throw Unknown(name);

    private static ArgumentException Unknown(string name) =>
        TestEngineStrategies.Unknown(Described, name, "unknown Coyote strategy", nameof(TestOptions.Strategy));

    /// <summary>Whether Coyote runs <paramref name="name"/> fairly once its unfair step bound is reached.</summary>
    internal static bool IsFair(string name) => name is "pct-fair" or "portfolio";

    // PctDepth is Coyote's priority-switch bound for prioritization; the other strategies keep Coyote's own defaults.
    internal static Configuration Apply(Configuration configuration, TestOptions options) => options.Strategy switch
    {
        "random" => configuration.WithRandomStrategy(),
        // Stryker disable once Boolean : pct's unfair step bound lies past ours (CoyoteEngine.Configure), so its fairness never comes into play
        "pct" => configuration.WithPrioritizationStrategy(false, (uint)options.PctDepth),
        "pct-fair" => configuration.WithPrioritizationStrategy(true, (uint)options.PctDepth),
        "probabilistic" => configuration.WithProbabilisticStrategy(),
        // Stryker disable once Boolean : as for pct
        "delay-bounding" => configuration.WithDelayBoundingStrategy(false),
        "qlearning" => configuration.WithQLearningStrategy(),
        "portfolio" => configuration,   // Coyote's default: a fair portfolio rotating each iteration
        _ => throw Unknown(options.Strategy),
    };
}
