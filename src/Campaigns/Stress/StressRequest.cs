namespace HighMemConcurrency.Campaigns;

/// <summary>What a native stress run runs, and how its failure is searched for under the systematic engine.</summary>
public sealed record StressRequest
{
    /// <summary>The default run length.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>The scenario, or null: with a variant the first scenario it names, otherwise the catalog's first.</summary>
    public string? Scenario { get; init; }

    /// <summary>The variant switched on, <c>none</c> or null (the correct model).</summary>
    public string? Variant { get; init; }

    /// <summary>Overrides of the scenario's parameters; each must be one the scenario reads.</summary>
    public ParameterOverrides Overrides { get; init; } = ParameterOverrides.None;

    /// <summary>How long the workload runs.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>The hung-task watchdog's timeout, or null for the workload's default.</summary>
    public TimeSpan? Watchdog { get; init; }

    /// <summary>Bound of the systematic search after a failure; zero turns it off.</summary>
    public TimeSpan ReproduceFor { get; init; } = StressReproducer.DefaultBudget;

    /// <summary>Seed of that search.</summary>
    public ulong Seed { get; init; } = 1;
}
