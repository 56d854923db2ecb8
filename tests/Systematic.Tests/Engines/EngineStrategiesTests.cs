namespace HighMemConcurrency.Systematic.Tests.Engines;

/// <summary>A caller validates a strategy against the engine it picked, through the engine contract alone.</summary>
public sealed class EngineStrategiesTests
{
    private static readonly ITestEngine Engine = SystematicTest.Engine;

    [Fact]
    public void The_engines_strategies_are_found_by_name_with_whether_they_sample()
    {
        Assert.Equal(["random", "pct", "pos", "surw"], Engine.Strategies.Where(s => s.Samples).Select(s => s.Name));
        Assert.True(Engine.FindStrategy("pos")!.Samples);
        Assert.False(Engine.CheckStrategy("dpor").Samples);
        Assert.Null(Engine.FindStrategy("portfolio"));
    }

    [Fact]
    public void An_unknown_strategy_is_one_line_naming_the_engine_and_its_strategies()
    {
        var e = Assert.Throws<ArgumentException>(() => Engine.CheckStrategy("bfs"));
        Assert.Equal("unknown hmc strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor)", e.Message);
    }

    [Fact]
    public void Run_through_the_contract_refuses_an_unknown_strategy_in_one_line()
    {
        var e = Assert.Throws<ArgumentException>(() => Engine.Run(() => { }, new TestOptions { Strategy = "bfs" }));
        Assert.StartsWith("unknown strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Only_a_sampling_strategy_starts_part_way()
    {
        Assert.Equal(1, Engine.Run(TextbookPrograms.Counter(locked: true), new TestOptions { Strategy = "pos", FirstIteration = 5, Iterations = 1 }).IterationsRun);
        var e = Assert.Throws<ArgumentException>(() =>
            Engine.Run(TextbookPrograms.Counter(locked: true), new TestOptions { Strategy = "dfs", FirstIteration = 5 }));
        Assert.StartsWith("strategy 'dfs' enumerates its space from the start: FirstIteration must be 1", e.Message);
    }
}
