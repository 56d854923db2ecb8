namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Bad options are refused up front with the option's name; run limits are honoured.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void UnknownStrategy_NamesTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => SystematicTest.Run(() => { }, new TestOptions { Strategy = "bfs" }));
        Assert.Contains("unknown strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor)", e.Message);
    }

    [Theory]
    [InlineData(0, 3, 10)]
    [InlineData(10, 0, 10)]
    [InlineData(10, 3, 0)]
    public void NonPositiveBudgets_AreRefused(int iterations, int depth, int maxSteps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SystematicTest.Run(() => { },
            new TestOptions { Iterations = iterations, PctDepth = depth, MaxSteps = maxSteps }));

    [Fact]
    public void CleanRun_ReportsWhatItDid()
    {
        var progress = new List<TestProgress>();
        var report = SystematicTest.Run(TextbookPrograms.Counter(locked: true),
            new TestOptions { Strategy = "random", Iterations = 300, Progress = new SynchronousProgress(progress.Add) });
        Assert.Null(report.Bug);
        Assert.Equal(300, report.IterationsRun);
        Assert.Equal(StopReason.IterationBudget, report.StopReason);
        Assert.False(report.Exhausted);
        Assert.True(report.StepsExplored >= 300 * 10);
        Assert.Equal(300, progress[^1].IterationsRun);
        Assert.Equal(report.StepsExplored, progress[^1].StepsExplored);
    }

    [Fact]
    public void Cancellation_StopsBetweenIterations_AndCountsWhatRan()
    {
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        var report = SystematicTest.Run(() =>
        {
            if (++seen == 40) cancel.Cancel();   // cancelled from inside iteration 40: it finishes, no 41st starts
            TextbookPrograms.Counter(locked: true)();
        }, new TestOptions { Strategy = "random", Iterations = 1000, Cancellation = cancel.Token });
        Assert.Equal(StopReason.Canceled, report.StopReason);
        Assert.Equal(40, report.IterationsRun);
        Assert.Null(report.Bug);
    }

    [Fact]
    public void PrimitiveInsideAWaitUntilCondition_IsAnError()
    {
        var report = SystematicTest.Run(() =>
        {
            var a = new SimAtomic();
            var t = Sim.Start("waiter", () => Sim.WaitUntil(() => a.Load() == 1, "a is 1"));
            a.Store(1);
            t.Join();
        }, new TestOptions { Strategy = "random", Iterations = 10 });
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.Contains("cannot be used inside a WaitUntil condition", report.Bug!.Message);
    }

    [Fact]
    public void WaitUntil_BlocksUntilTheConditionHolds_AndDeadlocksNamingIt()
    {
        var done = SystematicTest.Run(() =>
        {
            var flag = new SimAtomic(0);
            var t = Sim.Start("waiter", () => Sim.WaitUntil(() => flag.Peek == 1, "flag is 1"));
            flag.Store(1);
            t.Join();
        }, new TestOptions { Strategy = "random", Iterations = 200 });
        Assert.Null(done.Bug);

        var stuck = SystematicTest.Run(() => Sim.WaitUntil(() => false, "pigs fly"), new TestOptions { Iterations = 1 });
        Assert.Equal(BugKind.Deadlock, stuck.Bug?.Kind);
        Assert.Equal("deadlock: no thread can run; T0 'main' waits until pigs fly", stuck.Bug!.Message);
    }

    [Fact]
    public void DeadlockExplainer_IsAppended()
    {
        var report = SystematicTest.Run(() =>
        {
            Sim.OnDeadlock(() => "the model says why");
            var l = new SimLock("self");
            l.Enter();
            l.Enter();
        }, new TestOptions { Iterations = 1 });
        Assert.Equal("deadlock: no thread can run; T0 'main' waits for lock 'self', held by itself (a recursive acquire) — the model says why", report.Bug!.Message);
    }

    [Fact]
    public void Notes_AppearInTheInterleaving()
    {
        var report = SystematicTest.Run(() =>
        {
            var a = new SimAtomic(1, "pkmap_count[3]");
            a.Add(-1);
            Sim.Note("pkmap_count[3]: 1→0");
            Sim.Assert(false, "stop");
        }, new TestOptions { Iterations = 1 });
        Assert.Contains("Add(-1) = 0 atomic 'pkmap_count[3]'  | pkmap_count[3]: 1→0", report.Bug!.Interleaving);
    }

    private sealed class SynchronousProgress(Action<TestProgress> report) : IProgress<TestProgress>
    {
        public void Report(TestProgress value) => report(value);
    }
}
