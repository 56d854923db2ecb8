using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// What every strategy promises the engine and the reports: its name (written into traces), the factory's list, the
/// random strategy's draws, DFS and delay bounding's summaries and choice nodes, replay's checks, and the refusal of a
/// test that is not deterministic.
/// </summary>
public sealed class StrategyContractTests
{
    [Fact]
    public void Factory_CreatesEachListedStrategyUnderItsName()
    {
        Assert.Equal(["random", "pct", "pos", "surw", "dfs", "delay-bounding", "idb", "dpor"], StrategyFactory.Names);
        foreach (var name in StrategyFactory.Names)
            Assert.Equal(name, StrategyFactory.Create(new TestOptions { Strategy = name }).Name);
        Assert.All(StrategyFactory.All, s => Assert.True(s.Description.Length > 20, s.Name));
        Assert.Equal(StrategyFactory.All.Count, StrategyFactory.All.Select(s => s.Description).Distinct().Count());
        Assert.Equal("replay", new ReplayStrategy([]).Name);
    }

    /// <summary>Only the sampling strategies draw each iteration from (seed, iteration) alone, so only they may start anywhere.</summary>
    [Fact]
    public void OnlySamplingStrategies_MayStartAtAnyIteration() =>
        Assert.Equal(["random", "pct", "pos", "surw"], StrategyFactory.Names.Where(SystematicTest.CanStartAnywhere));

    [Fact]
    public void Factory_RefusesAnUnknownName()
    {
        var e = Assert.Throws<ArgumentException>(() => StrategyFactory.CheckName("bfs"));
        Assert.StartsWith("unknown strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor)", e.Message);
        StrategyFactory.CheckName("dpor");
        var create = Assert.Throws<ArgumentException>(() => StrategyFactory.Create(new TestOptions { Strategy = "bfs" }));
        Assert.Equal("unknown strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor)", create.Message);
    }

    /// <summary>A step with one enabled thread draws nothing, so adding such a step never reshuffles a seed's schedule.</summary>
    [Fact]
    public void Random_AForcedStepDrawsNothing()
    {
        int[] Draw(bool forcedStep)
        {
            var random = new RandomStrategy(9);
            random.InitializeIteration(1);
            if (forcedStep) Assert.Equal(4, random.NextThread([4], -1, false, false, 1));
            return Enumerable.Range(0, 30).Select(s => random.NextThread([0, 1, 2], 0, true, false, s + 2)).ToArray();
        }
        var plain = Draw(false);
        Assert.Equal(plain, Draw(true));
        Assert.Equal([0, 1, 2], plain.Distinct().Order());
    }

    [Fact]
    public void Dfs_SummarySaysWhetherTheBoundCutAnything()
    {
        static void TwoByTwo()
        {
            var x = new SimAtomic(0, "x");
            var child = Sim.Start("child", () => { x.Add(1); x.Add(1); });
            x.Add(10);
            x.Add(10);
            child.Join();
        }
        var cut = SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "dfs", PreemptionBound = 1 });
        Assert.Equal($"bound 1 exhausted after {cut.IterationsRun} schedules", cut.StrategySummary);
        var whole = SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "dfs", PreemptionBound = 10 });
        Assert.Equal($"bound 10 exhausted after {whole.IterationsRun} schedules (no schedule needed more: whole space)", whole.StrategySummary);
        Assert.Null(SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "dfs", PreemptionBound = null }).StrategySummary);
    }

    /// <summary>A value choice costs no preemption: with no preemption allowed, a choice doubles the schedules.</summary>
    [Fact]
    public void Dfs_AChoiceDoublesTheSchedulesAndCostsNothing()
    {
        const int bound = 0;
        static Action Body(bool choose) => () =>
        {
            var x = new SimAtomic(0, "x");
            var child = Sim.Start("child", () => { x.Add(1); x.Add(1); });
            x.Add(10);
            if (choose) Sim.Choose(2);
            x.Add(10);
            child.Join();
        };
        var without = SystematicTest.Run(Body(false), new TestOptions { Strategy = "dfs", PreemptionBound = bound });
        var with = SystematicTest.Run(Body(true), new TestOptions { Strategy = "dfs", PreemptionBound = bound });
        Assert.True(without.Exhausted && with.Exhausted);
        Assert.Equal(2 * without.IterationsRun, with.IterationsRun);
    }

    /// <summary>A choice among many values explores every value.</summary>
    [Fact]
    public void Dfs_AWideChoiceExploresEveryValue()
    {
        var values = new HashSet<int>();
        var report = SystematicTest.Run(() => values.Add(Sim.Choose(100)), new TestOptions { Strategy = "dfs", Iterations = 1000 });
        Assert.True(report.Exhausted);
        Assert.Equal(100, report.IterationsRun);
        Assert.Equal(100, values.Count);
    }

    [Fact]
    public void Idb_SummaryNamesEachExhaustedBound()
    {
        static void Body()
        {
            var x = new SimAtomic(0, "x");
            var child = Sim.Start("child", () => x.Add(1));
            x.Add(10);
            child.Join();
        }
        var idb = new IterativeDelayBoundingStrategy();
        Assert.Equal("idb", idb.Name);
        Assert.Equal("delay bound 0 in progress", idb.Summary);
        var report = SystematicTest.Run(Body, new TestOptions { Strategy = "idb", Iterations = 1000 });
        Assert.True(report.Exhausted);
        Assert.Matches(@"^delay bound 0 exhausted after 1 schedules; delay bound 1 exhausted after \d+ schedules.* \(whole space\)$", report.StrategySummary);
        var partial = SystematicTest.Run(Body, new TestOptions { Strategy = "idb", Iterations = 2 });
        Assert.Matches(@"^delay bound 0 exhausted after 1 schedules; bound 1 in progress$", partial.StrategySummary);
    }

    /// <summary>The delay-bounding order starts at the current thread while it may go on, else at the next id after it.</summary>
    [Fact]
    public void DelayBound_OrderIsRoundRobinFromTheRightThread()
    {
        int[] Order(int current, bool enabled, bool yields)
        {
            int[] ordered = new int[3], costs = new int[3];
            DelayBound.Instance.Order([1, 3, 5], current, enabled, yields, ordered, costs);
            Assert.Equal([0, 1, 2], costs);
            return ordered;
        }
        Assert.Equal([3, 5, 1], Order(3, enabled: true, yields: false));
        Assert.Equal([5, 1, 3], Order(3, enabled: true, yields: true));
        Assert.Equal([5, 1, 3], Order(3, enabled: false, yields: false));
        Assert.Equal([5, 1, 3], Order(4, enabled: false, yields: false));
        Assert.Equal([1, 3, 5], Order(5, enabled: false, yields: false));
    }

    [Fact]
    public void Replay_ChecksEveryDecisionAgainstTheExecution()
    {
        var replay = new ReplayStrategy([new(DecisionKind.Thread, 0), new(DecisionKind.Thread, 1), new(DecisionKind.Choice, 2)]);
        Assert.True(replay.InitializeIteration(1));
        Assert.Equal(0, replay.NextThread([0, 1], 0, true, false, 1));
        Assert.Equal(1, replay.NextThread([0, 1], 0, true, false, 2));
        Assert.Equal([1], replay.PreemptionPoints);
        Assert.Equal(2, replay.NextChoice(3, 3));
        Assert.Equal(3, replay.Consumed);
        var ended = Assert.Throws<TraceDivergenceException>(() => replay.NextChoice(3, 4));
        Assert.Contains("the trace ended after 3 decisions but the execution needs a value in [0, 3)", ended.Message);
        Assert.False(replay.InitializeIteration(2));
        Assert.Empty(replay.PreemptionPoints);

        var empty = new ReplayStrategy([]);
        empty.InitializeIteration(1);
        Assert.Contains("the trace ended after 0 decisions but the execution needs a thread decision",
            Assert.Throws<TraceDivergenceException>(() => empty.NextThread([0, 1], 0, true, false, 1)).Message);

        var choiceAsThread = new ReplayStrategy([new(DecisionKind.Choice, 0)]);
        choiceAsThread.InitializeIteration(1);
        Assert.Contains("the trace recorded value choice c0 but the execution is choosing a thread among [T0, T2]",
            Assert.Throws<TraceDivergenceException>(() => choiceAsThread.NextThread([0, 2], 0, true, false, 1)).Message);

        var threadAsChoice = new ReplayStrategy([new(DecisionKind.Thread, 0)]);
        threadAsChoice.InitializeIteration(1);
        Assert.Contains("the trace recorded thread decision t0 but the execution is choosing a value in [0, 2)",
            Assert.Throws<TraceDivergenceException>(() => threadAsChoice.NextChoice(2, 1)).Message);

        var tooLarge = new ReplayStrategy([new(DecisionKind.Choice, 2)]);
        tooLarge.InitializeIteration(1);
        Assert.Contains("the trace chose value 2 but only [0, 2) is possible",
            Assert.Throws<TraceDivergenceException>(() => tooLarge.NextChoice(2, 1)).Message);
        var last = new ReplayStrategy([new(DecisionKind.Choice, 1)]);
        last.InitializeIteration(1);
        Assert.Equal(1, last.NextChoice(2, 1));

        var disabled = new ReplayStrategy([new(DecisionKind.Thread, 4)]);
        disabled.InitializeIteration(1);
        Assert.Contains("the trace runs thread T4 but the enabled threads are [T0, T2]",
            Assert.Throws<TraceDivergenceException>(() => disabled.NextThread([0, 2], 0, true, false, 1)).Message);
    }

    [Fact]
    public void Replay_CountsPreemptionsAcrossThreadDecisionsOnly()
    {
        var replay = new ReplayStrategy([new(DecisionKind.Thread, 0), new(DecisionKind.Choice, 0), new(DecisionKind.Thread, 0), new(DecisionKind.Thread, 1)]);
        replay.InitializeIteration(1);
        replay.NextThread([0, 1], 0, true, false, 1);
        replay.NextChoice(2, 2);
        replay.NextThread([0, 1], 0, true, false, 3);
        replay.NextThread([0, 1], 0, true, false, 4);
        Assert.Equal([2], replay.PreemptionPoints);
        Assert.Equal(1, replay.Preemptions);
    }

    /// <summary>A test body that does something else on the next iteration is refused, by DFS and DPOR alike.</summary>
    [Theory]
    [InlineData("dfs", "threads")]
    [InlineData("dfs", "choice-count")]
    [InlineData("dfs", "choice-for-thread")]
    [InlineData("dpor", "threads")]
    [InlineData("dpor", "choice-count")]
    [InlineData("dpor", "choice-for-thread")]
    public void ANondeterministicTest_IsRefused(string strategy, string change)
    {
        var run = 0;
        void Body()
        {
            var first = run++ == 0;
            var x = new SimAtomic(0, "x");
            switch (change)
            {
                case "threads":
                    var a = Sim.Start("a", () => x.Add(1));
                    var b = first ? Sim.Start("b", () => x.Add(2)) : null;
                    x.Add(3);
                    a.Join();
                    b?.Join();
                    break;
                case "choice-count":
                    var c = Sim.Start("c", () => x.Add(1));
                    x.Add(2);
                    Sim.Choose(first ? 2 : 3);
                    c.Join();
                    break;
                default:
                    var d = Sim.Start("d", () => x.Add(1));
                    if (first) Sim.Choose(2);
                    x.Add(2);
                    d.Join();
                    break;
            }
        }
        Assert.Throws<NondeterministicTestException>(() =>
            SystematicTest.Run(Body, new TestOptions { Strategy = strategy, PreemptionBound = null, Iterations = 100 }));
    }
}
