namespace HighMemConcurrency.Systematic.Tests;

/// <summary>DFS explores exactly the schedules combinatorics predicts and says when the space is exhausted.</summary>
public sealed class DfsTests
{
    /// <summary>
    /// Main starts a child, then both perform two atomic operations; main then joins. Steps that can interleave:
    /// main's two operations and the child's three (its start plus its two operations), so the schedules are the
    /// interleavings of a 2-sequence with a 3-sequence: C(5,2) = 10.
    /// </summary>
    private static void TwoByTwo()
    {
        var x = new SimAtomic(0, "x");
        var child = Sim.Start("child", () =>
        {
            x.Add(1);
            x.Add(1);
        });
        x.Add(10);
        x.Add(10);
        child.Join();
    }

    // Preemptions per interleaving (M = main's step, C = child's; switching away from a thread that could go on
    // is a preemption, switching away from one that is done or blocked in Join is not):
    // MMCCC 0, MCCCM 1, CCCMM 1, MCMCC 2, MCCMC 2, CMMCC 2, CCMMC 2, CMCCM 3, CCMCM 3, CMCMC 4.
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 7)]
    [InlineData(3, 9)]
    [InlineData(4, 10)]
    [InlineData(null, 10)]
    public void TwoThreadsOfTwoSteps_ExploreEveryInterleavingWithinTheBound(int? bound, int schedules)
    {
        var report = SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "dfs", PreemptionBound = bound, Iterations = 1000 });
        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.Equal(schedules, report.IterationsRun);
    }

    [Fact]
    public void SpawnAndJoinThree_ExploresTheSchedulesOfTheAbstractProgram()
    {
        static void Body()
        {
            var x = new SimAtomic();
            var threads = new[] { "a", "b", "c" }.Select(n => Sim.Start(n, () => x.Add(1))).ToArray();
            foreach (var t in threads) t.Join();
        }
        var report = SystematicTest.Run(Body, new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000 });
        Assert.True(report.Exhausted);
        Assert.Equal(CountSpawnJoinSchedules(3), report.IterationsRun);
    }

    /// <summary>
    /// Counts, by brute force over the abstract program and independently of the engine, the schedules of:
    /// main starts n children (a step each) then joins them in order (a step each, enabled once that child is
    /// done); each child has two steps (its start and one operation).
    /// </summary>
    private static int CountSpawnJoinSchedules(int n)
    {
        var child = new int[n];
        int Count(int mainPc)
        {
            var started = Math.Min(mainPc, n);
            var total = 0;
            var mainEnabled = mainPc < n || (mainPc < 2 * n && child[mainPc - n] == 2);
            if (mainEnabled) total += Count(mainPc + 1);
            for (var i = 0; i < started; i++)
            {
                if (child[i] == 2) continue;
                child[i]++;
                total += Count(mainPc);
                child[i]--;
            }
            return mainPc == 2 * n && total == 0 ? 1 : total;
        }
        return Count(0);
    }

    [Fact]
    public void Choices_AreExploredExhaustively()
    {
        var seen = new HashSet<(int, int)>();
        var report = SystematicTest.Run(() => seen.Add((Sim.Choose(3), Sim.Choose(2))), new TestOptions { Strategy = "dfs", Iterations = 100 });
        Assert.True(report.Exhausted);
        Assert.Equal(6, report.IterationsRun);
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public void FindsTheLockOrderDeadlock()
    {
        var report = SystematicTest.Run(TextbookPrograms.LockOrder(false), new TestOptions { Strategy = "dfs" });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
    }

    [Fact]
    public void CorrectProgram_ExhaustsCleanWithinTheDefaultBound()
    {
        var report = SystematicTest.Run(TextbookPrograms.LockOrder(fixedVersion: true), new TestOptions { Strategy = "dfs", Iterations = 100_000 });
        Assert.Null(report.Bug);
        Assert.True(report.Exhausted);
    }

    [Fact]
    public void TestThatDoesNotRepeatItself_IsRefused()
    {
        var runs = 0;
        void Body()
        {
            runs++;   // state outside the engine: the second run takes another path
            if (runs > 1) Sim.Choose(2);
            var t = Sim.Start("child", () => { });
            Sim.Yield();
            t.Join();
        }
        var e = Assert.Throws<NondeterministicTestException>(() => SystematicTest.Run(Body, new TestOptions { Strategy = "dfs" }));
        Assert.Contains("the test is not deterministic", e.Message);
    }
}
