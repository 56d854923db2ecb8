namespace HighMemConcurrency.Campaigns;

/// <summary>One engine run within a job: a strategy, its seed and its share of the job's iterations.</summary>
/// <param name="Strategy">An engine strategy (<see cref="StrategyNames"/>).</param>
/// <param name="Seed">Its seed (written into traces, so replay needs nothing else).</param>
/// <param name="PctDepth">PCT bug depth d (ignored by the others).</param>
/// <param name="Iterations">Its iteration budget.</param>
public sealed record Slice(string Strategy, ulong Seed, int PctDepth, int Iterations);

/// <summary>
/// How a job's budget is split among engine runs. <c>portfolio</c> mixes the randomised strategies, because none
/// dominates (median iterations to the bug over 10 seeds, <c>stress/Benchmarks --measure-strategies</c>): PCT is
/// best where one thread must be held back for long (50 threads: 4 vs POS 22; a long spin: 4 vs 23) but slow on
/// the kmap lost-wakeup variants (enqueue-after-unlock 124, wake-check-outside-lock 36); POS is as good as or better
/// than random on every model variant (12 vs 23, 2 vs 2, 4 vs 4...) and, unlike random, finds the hard cases
/// (random: not within 10⁴ on 50 threads and the long spin), so it takes one of random's two slices; random keeps
/// the other, being quickest on the textbook programs (3 vs 6). The systematic strategies (dfs, delay-bounding,
/// idb, dpor) lose to all three on the model variants and stay opt-in. It runs, in turn and until the first bug,
/// four equal slices of the iterations and of the time: pct d=3 (seed S), pos (S+1), pct d=2 (S+2), random (S+3).
/// </summary>
public static class Portfolio
{
    /// <summary>PCT depth used by the single-strategy <c>pct</c> job (the engine's default).</summary>
    public const int DefaultPctDepth = 3;

    /// <summary>The help text's one-line description of the portfolio.</summary>
    public const string Description =
        "portfolio = four equal slices of the budget (iterations and time), run in turn until a bug: " +
        "pct d=3 (seed S), pos (S+1), pct d=2 (S+2), random (S+3)";

    private static readonly (string Strategy, int Depth)[] Mix =
        [(StrategyNames.Pct, 3), (StrategyNames.Pos, DefaultPctDepth), (StrategyNames.Pct, 2), (StrategyNames.Random, DefaultPctDepth)];

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
