namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Delay-bounded and iterative delay-bounded DFS explore the counts the bound predicts.</summary>
public sealed class DelayBoundingTests
{
    /// <summary>Main starts a child, both add to one atomic twice, main joins (as in <see cref="DfsTests"/>).</summary>
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

    // With two threads, round-robin's only alternative to the running thread is the other one, and when the running
    // thread is blocked or done there is nothing to delay: a delay is exactly a preemption, so the counts are
    // DfsTests' per-preemption counts: 1 schedule with 0 delays, 3 with ≤ 1, 7 with ≤ 2, 9 with ≤ 3, 10 with ≤ 4.
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 7)]
    [InlineData(3, 9)]
    [InlineData(4, 10)]
    public void TwoThreads_DelaysArePreemptions(int bound, int schedules)
    {
        var report = SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "delay-bounding", DelayBound = bound, Iterations = 1000 });
        Assert.Null(report.Bug);
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.Equal(schedules, report.IterationsRun);
        Assert.StartsWith($"bound {bound} exhausted after {schedules} schedules", report.StrategySummary);
    }

    /// <summary>
    /// Three children each do one atomic add; main starts them and joins them in order. Every child is enabled right
    /// after its start, and with 0 delays round-robin runs main until it blocks in the first join, then the children
    /// in id order: 1 schedule. One delay lets exactly one decision take the second thread of the round-robin order.
    /// </summary>
    [Fact]
    public void ZeroDelays_IsTheRoundRobinSchedule()
    {
        static void Body()
        {
            var x = new SimAtomic();
            var threads = new[] { "a", "b", "c" }.Select(n => Sim.Start(n, () => x.Add(1))).ToArray();
            foreach (var t in threads) t.Join();
        }
        var zero = SystematicTest.Run(Body, new TestOptions { Strategy = "delay-bounding", DelayBound = 0 });
        var one = SystematicTest.Run(Body, new TestOptions { Strategy = "delay-bounding", DelayBound = 1 });
        var dfs = SystematicTest.Run(Body, new TestOptions { Strategy = "dfs", PreemptionBound = 1 });
        Assert.Equal(1, zero.IterationsRun);
        Assert.True(one.IterationsRun > 1);
        Assert.True(one.IterationsRun < dfs.IterationsRun, $"1 delay: {one.IterationsRun} schedules, 1 preemption: {dfs.IterationsRun}");
    }

    [Fact]
    public void Idb_ExhaustsEachBoundInTurn()
    {
        var report = SystematicTest.Run(TwoByTwo, new TestOptions { Strategy = "idb", Iterations = 1000 });
        Assert.Null(report.Bug);
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.Equal(1 + 3 + 7 + 9 + 10, report.IterationsRun);
        Assert.Equal("delay bound 0 exhausted after 1 schedules; delay bound 1 exhausted after 3 schedules; delay bound 2 exhausted after 7 schedules; " +
                     "delay bound 3 exhausted after 9 schedules; delay bound 4 exhausted after 10 schedules (whole space)", report.StrategySummary);
    }

    [Theory]
    [InlineData("delay-bounding")]
    [InlineData("idb")]
    [InlineData("pos")]
    public void FindsTheTextbookBugs(string strategy)
    {
        foreach (var (body, kind) in new[]
                 {
                     (TextbookPrograms.Counter(locked: false), BugKind.AssertionFailure),
                     (TextbookPrograms.LostWakeup(fixedVersion: false), BugKind.Deadlock),
                     (TextbookPrograms.LockOrder(fixedVersion: false), BugKind.Deadlock),
                     (TextbookPrograms.AtomicityViolation(fixedVersion: false), BugKind.AssertionFailure),
                 })
        {
            var report = SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = 10_000, DetectDataRaces = false });
            Assert.Equal(kind, report.Bug?.Kind);
            Assert.Equal(kind, SystematicTest.Replay(body, report.Bug!.TraceJson).Bug?.Kind);
        }
    }

    [Fact]
    public void Pos_CorrectProgramRunsItsWholeBudgetClean_AndRepeatsItself()
    {
        var first = SystematicTest.Run(TextbookPrograms.LockOrder(fixedVersion: true), new TestOptions { Strategy = "pos", Iterations = 300, Seed = 7 });
        Assert.Null(first.Bug);
        Assert.Equal(300, first.IterationsRun);
        var a = SystematicTest.Run(TextbookPrograms.Counter(locked: false), new TestOptions { Strategy = "pos", Seed = 7, DetectDataRaces = false });
        var b = SystematicTest.Run(TextbookPrograms.Counter(locked: false), new TestOptions { Strategy = "pos", Seed = 7, DetectDataRaces = false });
        Assert.Equal(a.Bug!.TraceJson, b.Bug!.TraceJson);
    }
}
