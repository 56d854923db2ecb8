namespace HighMemConcurrency.Cli.Testing;

/// <summary>One engine run within a job: a strategy, its seed and its share of the job's iterations.</summary>
/// <param name="Strategy">An engine strategy: random, pct or dfs.</param>
/// <param name="Seed">Its seed (written into traces, so replay needs nothing else).</param>
/// <param name="PctDepth">PCT bug depth d (ignored by the others).</param>
/// <param name="Iterations">Its iteration budget.</param>
internal sealed record Slice(string Strategy, ulong Seed, int PctDepth, int Iterations);

/// <summary>
/// How a job's budget is split among engine runs. <c>portfolio</c> alternates the two randomised strategies,
/// because neither dominates: PCT finds shallow ordering bugs in few iterations, random walks find bugs that need
/// many context switches. It runs, in turn and until the first bug, four equal slices of the iterations and of the
/// time: pct d=3 (seed S), random (S+1), pct d=2 (S+2), random (S+3).
/// </summary>
internal static class Portfolio
{
    /// <summary>PCT depth used by the single-strategy <c>pct</c> job (the engine's default).</summary>
    public const int DefaultPctDepth = 3;

    /// <summary>The help text's one-line description of the portfolio.</summary>
    public const string Description =
        "portfolio = four equal slices of the budget (iterations and time), run in turn until a bug: " +
        "pct d=3 (seed S), random (S+1), pct d=2 (S+2), random (S+3)";

    private static readonly (string Strategy, int Depth)[] Mix =
        [(StrategyNames.Pct, 3), (StrategyNames.Random, DefaultPctDepth), (StrategyNames.Pct, 2), (StrategyNames.Random, DefaultPctDepth)];

    /// <summary>The slices of a job with this strategy, seed and iteration budget; their iterations add up to it.</summary>
    public static IReadOnlyList<Slice> Slices(string strategy, ulong seed, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (strategy != StrategyNames.Portfolio) return [new Slice(strategy, seed, DefaultPctDepth, iterations)];
        var count = Math.Min(Mix.Length, iterations);
        var slices = new List<Slice>(count);
        for (var i = 0; i < count; i++)
        {
            // The first slices take the remainder so that nothing of the budget is lost.
            var share = iterations / count + (i < iterations % count ? 1 : 0);
            slices.Add(new Slice(Mix[i].Strategy, unchecked(seed + (ulong)i), Mix[i].Depth, share));
        }
        return slices;
    }
}
