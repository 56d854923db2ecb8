using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// DFS driven directly over small abstract decision trees, the schedule sets worked out by hand: a value choice costs
/// no preemption but keeps the cost of the decisions before it, a test that changes its decisions is refused with
/// what it failed to reach, and an iteration that stops short of the recorded path backtracks from where it stopped.
/// </summary>
public sealed class DfsStrategyTests
{
    private static readonly int[] Both = [0, 1];

    /// <summary>
    /// Every schedule of: thread a among {0, 1} (thread 0 running), a choice c of 2, thread b among {0, 1} (a
    /// running). Preemptions are [a ≠ 0] + [b ≠ a]; the choice adds none and must not forget the one before it.
    /// </summary>
    private static List<(int A, int C, int B)> ThreadChoiceThread(int? bound)
    {
        var dfs = new DfsStrategy(bound);
        var schedules = new List<(int, int, int)>();
        for (var iteration = 1; dfs.InitializeIteration(iteration); iteration++)
        {
            var a = dfs.NextThread(Both, 0, true, false, 1);
            var c = dfs.NextChoice(2, 2);
            var b = dfs.NextThread(Both, a, true, false, 3);
            schedules.Add((a, c, b));
            dfs.CompleteIteration(3);
            Assert.True(iteration < 100, "the search does not end");
        }
        Assert.True(dfs.IsExhausted);
        return schedules;
    }

    [Fact]
    public void Choice_CostsNothing_AndKeepsTheCostBeforeIt()
    {
        // Bound 1 leaves out exactly a = 1, b = 0 (two preemptions), for both values of c.
        Assert.Equal([(0, 0, 0), (0, 0, 1), (0, 1, 0), (0, 1, 1), (1, 0, 1), (1, 1, 1)], ThreadChoiceThread(1));
        Assert.Equal([(0, 0, 0), (0, 1, 0)], ThreadChoiceThread(0));
        Assert.Equal(8, ThreadChoiceThread(null).Count);
    }

    /// <summary>A wide choice first, then a decision with no preemption allowed: one schedule per value.</summary>
    [Fact]
    public void WideChoiceFirst_ThenAThreadDecision_ExploresEveryValueOnce()
    {
        var dfs = new DfsStrategy(0);
        var values = new List<int>();
        for (var iteration = 1; dfs.InitializeIteration(iteration); iteration++)
        {
            values.Add(dfs.NextChoice(100, 1));
            Assert.Equal(0, dfs.NextThread(Both, 0, true, false, 2));
            dfs.CompleteIteration(2);
        }
        Assert.Equal(Enumerable.Range(0, 100), values);
        Assert.True(dfs.Pruned);
    }

    [Fact]
    public void ReplayingAThreadDecision_WhereTheTestNowChooses_IsRefused()
    {
        var dfs = new DfsStrategy(null);
        dfs.InitializeIteration(1);
        dfs.NextThread(Both, 0, true, false, 1);
        dfs.NextThread(Both, 0, true, false, 2);
        dfs.CompleteIteration(2);
        dfs.InitializeIteration(2);
        var e = Assert.Throws<NondeterministicTestException>(() => dfs.NextChoice(2, 1));
        Assert.Contains("at step 1 replaying the same decisions did not reach a value choice", e.Message);
    }

    [Fact]
    public void ReplayingAChoice_WhereTheTestNowPicksAThread_IsRefused()
    {
        var dfs = new DfsStrategy(null);
        dfs.InitializeIteration(1);
        dfs.NextChoice(2, 1);
        dfs.NextChoice(2, 2);
        dfs.CompleteIteration(2);
        dfs.InitializeIteration(2);
        var e = Assert.Throws<NondeterministicTestException>(() => dfs.NextThread(Both, 0, true, false, 1));
        Assert.Contains("at step 1 replaying the same decisions did not reach a thread decision", e.Message);
    }

    /// <summary>
    /// Iteration 1 takes two decisions (the second among three threads); iteration 2 replays the first and stops.
    /// The second decision belongs to a schedule iteration 2 never reached, so the search backtracks at the first:
    /// iteration 3 runs thread 1 there.
    /// </summary>
    [Fact]
    public void IterationThatStopsShort_BacktracksFromWhereItStopped()
    {
        var dfs = new DfsStrategy(null);
        Assert.True(dfs.InitializeIteration(1));
        Assert.Equal(0, dfs.NextThread(Both, 0, true, false, 1));
        Assert.Equal(0, dfs.NextThread([0, 1, 2], 0, false, false, 2));
        dfs.CompleteIteration(2);
        Assert.True(dfs.InitializeIteration(2));
        Assert.Equal(0, dfs.NextThread(Both, 0, true, false, 1));
        dfs.CompleteIteration(1);
        Assert.True(dfs.InitializeIteration(3));
        Assert.Equal(1, dfs.NextThread(Both, 0, true, false, 1));
        dfs.CompleteIteration(1);
        Assert.False(dfs.InitializeIteration(4));
        Assert.Equal(3, dfs.Schedules);
    }
}
