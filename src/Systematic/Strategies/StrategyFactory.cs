namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>Makes a strategy from its name in <see cref="TestOptions.Strategy"/>.</summary>
internal static class StrategyFactory
{
    public static readonly IReadOnlyList<StrategyInfo> All =
    [
        new("random", "uniform random choice among the enabled threads at every step") { Samples = true },
        new("pct", "probabilistic concurrency testing (Burckhardt et al. 2010): random priorities, d-1 change points (PctDepth)") { Samples = true },
        new("pos", "partial order sampling (Yuan, Yang, Gu 2018): random priorities per operation, re-drawn for operations racing with the one that ran") { Samples = true },
        new("surw", "selectively uniform random walk (Zhao, Wolff, Mathur, Roychoudhury 2025): the accesses to one shared object per iteration in uniformly random order, weighted by each thread's accesses left; a profiling walk per 1,000 iterations") { Samples = true },
        new("dfs", "depth-first search of every schedule with at most PreemptionBound preemptions (CHESS); exhaustive"),
        new("delay-bounding", "depth-first search of every schedule at most DelayBound delays away from round-robin (Emmi, Qadeer, Rakamarić 2011); exhaustive"),
        new("idb", "iterative delay bounding: delay-bounding with bound 0, 1, 2, ... each exhausted in turn; the first bug needs the fewest delays"),
        new("dpor", "source-set DPOR with sleep sets (Abdulla et al. 2014): one schedule per Mazurkiewicz trace; exhausted = verified"),
    ];

    public static readonly IReadOnlyList<string> Names = All.Select(s => s.Name).ToArray();

    public static StrategyInfo CheckName(string name) =>
        TestEngineStrategies.Find(All, name) ?? throw TestEngineStrategies.Unknown(All, name, "unknown strategy", nameof(TestOptions.Strategy));

    public static IExplorationStrategy Create(TestOptions options) => options.Strategy switch
    {
        "random" => new RandomStrategy(options.Seed),
        "pct" => new PctStrategy(options.Seed, options.PctDepth),
        "pos" => new PosStrategy(options.Seed),
        "surw" => new SurwStrategy(options.Seed),
        "dfs" => new DfsStrategy(options.PreemptionBound),
        "delay-bounding" => DelayBound.Strategy(options.DelayBound),
        "idb" => new IterativeDelayBoundingStrategy(),
        "dpor" => new DporStrategy(),
        _ => throw TestEngineStrategies.Unknown(All, options.Strategy, "unknown strategy"),
    };
}
