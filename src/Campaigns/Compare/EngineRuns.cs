
namespace HighMemConcurrency.Campaigns;

/// <summary>One engine's runs of one job under one strategy, a run per seed, and what they add up to.</summary>
/// <param name="Engine"><see cref="CampaignEngines.Hmc"/> or <see cref="CampaignEngines.Coyote"/>.</param>
/// <param name="Strategy">The strategy every run used.</param>
/// <param name="Runs">One outcome per seed, in seed order.</param>
public sealed record EngineRuns(string Engine, string Strategy, IReadOnlyList<JobOutcome> Runs)
{
    /// <summary>Runs that found the variant as the kind its documentation promises.</summary>
    public int Found => Runs.Count(r => r.FoundAsExpected);

    /// <summary>Runs that found any bug (for the correct model: none should).</summary>
    public int WithBug => Runs.Count(r => r.Bug is not null);

    /// <summary>Iterations over every run.</summary>
    public int Iterations => Runs.Sum(r => r.Iterations);

    /// <summary>Wall-clock time over every run.</summary>
    public TimeSpan Elapsed => Runs.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Elapsed);

    /// <summary>Schedules per second over every run of the row (setup and teardown of each iteration included).</summary>
    public double SchedulesPerSecond => Elapsed.TotalSeconds > 0 ? Iterations / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// Median iterations to the bug over every seed, a seed that did not find it counting as infinitely many: null
    /// when half the seeds or more did not find it, so a median never hides misses.
    /// </summary>
    public double? MedianIterationsToBug => CensoredMedian(r => r.IterationsToBug!.Value);

    /// <summary>
    /// Median wall-clock seconds to the bug (a run stops at its bug, so its elapsed time; start-up included), counted
    /// as <see cref="MedianIterationsToBug"/> is: what a user waits, the engine's speed and its strategy together.
    /// </summary>
    public double? MedianSecondsToBug => CensoredMedian(r => r.Elapsed.TotalSeconds);

    private double? CensoredMedian(Func<JobOutcome, double> value)
    {
        var sorted = Runs.Select(r => r.FoundAsExpected ? value(r) : double.PositiveInfinity).Order().ToList();
        if (sorted.Count == 0) return null;
        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return double.IsPositiveInfinity(median) ? null : median;
    }

    /// <summary>Ours divided by Coyote's, or null when either is missing or zero.</summary>
    public static double? Ratio(double? ours, double? coyote) =>
        ours is { } o && coyote is { } c && c > 0 && o > 0 ? o / c : null;
}

/// <summary>A row of a comparison: one job under one strategy pair, on both engines.</summary>
/// <param name="Pair">The strategies.</param>
/// <param name="Ours">Our engine's runs.</param>
/// <param name="Coyote">Coyote's runs.</param>
public abstract record ComparisonRow(StrategyPair Pair, EngineRuns Ours, EngineRuns Coyote);

/// <summary>A variant under one strategy pair: the same job, seeds and budget on both engines.</summary>
/// <param name="Variant">The variant's name.</param>
/// <param name="Scenario">The scenario it ran on (the first its documentation names).</param>
/// <param name="Pair">The strategies.</param>
/// <param name="Ours">Our engine's runs.</param>
/// <param name="Coyote">Coyote's runs.</param>
public sealed record VariantComparison(string Variant, string Scenario, StrategyPair Pair, EngineRuns Ours, EngineRuns Coyote)
    : ComparisonRow(Pair, Ours, Coyote)
{
    /// <summary>Median iterations to the bug, ours / Coyote's: below 1, ours needs fewer schedules.</summary>
    public double? IterationsRatio => EngineRuns.Ratio(Ours.MedianIterationsToBug, Coyote.MedianIterationsToBug);

    /// <summary>Schedules per second, ours / Coyote's: above 1, ours runs faster.</summary>
    public double? SpeedRatio => EngineRuns.Ratio(Ours.SchedulesPerSecond, Coyote.SchedulesPerSecond);

    /// <summary>Median time to the bug, ours / Coyote's: below 1, ours finds it sooner.</summary>
    public double? TimeRatio => EngineRuns.Ratio(Ours.MedianSecondsToBug, Coyote.MedianSecondsToBug);
}

/// <summary>A scenario's correct model under one strategy pair on both engines.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Pair">The strategies.</param>
/// <param name="Ours">Our engine's run (one seed).</param>
/// <param name="Coyote">Coyote's run (the same seed).</param>
public sealed record ModelComparison(string Scenario, StrategyPair Pair, EngineRuns Ours, EngineRuns Coyote)
    : ComparisonRow(Pair, Ours, Coyote)
{
    /// <summary>Schedules per second, ours / Coyote's.</summary>
    public double? SpeedRatio => EngineRuns.Ratio(Ours.SchedulesPerSecond, Coyote.SchedulesPerSecond);
}
