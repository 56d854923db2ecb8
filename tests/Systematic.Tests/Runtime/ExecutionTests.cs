using System.Text.Json;

namespace HighMemConcurrency.Systematic.Tests.Runtime;

/// <summary>
/// What one iteration of our engine does with its turn and its bugs, as a user sees it in the report: steps counted
/// one per scheduling point and bounded by <see cref="TestOptions.MaxSteps"/> exactly; a switch counted only when the
/// turn goes to another thread; a value choice recorded only when there is a choice; the first bug wins; a thread's
/// exception, a throwing WaitUntil condition and a livelock each reported in words; the deadlock explainers appended
/// in order, silent ones left out, a throwing one named; and any number of threads scheduled.
/// </summary>
public sealed class ExecutionTests
{
    private static TestReport Once(Action body, int maxSteps = 10_000) =>
        SystematicTest.Run(body, new TestOptions { Strategy = "dfs", Iterations = 1, MaxSteps = maxSteps });

    private static string[] Decisions(BugReport bug)
    {
        using var trace = JsonDocument.Parse(bug.TraceJson);
        return trace.RootElement.GetProperty("decisions").EnumerateArray().Select(d => d.GetString()!).ToArray();
    }

    [Fact]
    public void EachSchedulingPoint_IsOneStep_AndOneThreadNeverSwitches()
    {
        var report = Once(() =>
        {
            for (var i = 0; i < 5; i++) Sim.Yield();
        });
        Assert.Null(report.Bug);
        Assert.Equal(6, report.StepsExplored);            // the thread's start, then five yields
        Assert.Equal(0, report.ThreadSwitches);
    }

    [Fact]
    public void ASwitch_IsCountedWhenTheTurnGoesToAnotherThread()
    {
        var report = SystematicTest.Run(() =>
        {
            var t = Sim.Start("child", () => Sim.Yield());
            t.Join();
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Null(report.Bug);
        // main: start, Start(T1), Join (blocked until the child is done); child: start, Yield. The turn goes to the
        // child once and back to main once its body returns.
        Assert.Equal(5, report.StepsExplored);
        Assert.Equal(2, report.ThreadSwitches);
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(9, true)]
    public void MaxSteps_BoundsTheIterationExactly(int maxSteps, bool livelock)
    {
        var report = Once(() =>
        {
            for (var i = 0; i < 9; i++) Sim.Yield();       // ten steps with the start
        }, maxSteps);
        if (!livelock)
        {
            Assert.Null(report.Bug);
            return;
        }
        Assert.Equal(BugKind.Livelock, report.Bug?.Kind);
        Assert.Equal("livelock: the iteration exceeded 9 steps without finishing; unfinished threads: T0 'main' (about to Yield)",
            report.Bug!.Message);
    }

    [Fact]
    public void ALivelock_NamesEveryUnfinishedThreadAndWhatItWasAbout()
    {
        var report = Once(() =>
        {
            var a = new SimAtomic(0, "a");
            var t = Sim.Start("spinner", () =>
            {
                while (true) a.Add(1);
            });
            var done = Sim.Start("done", () => { });
            done.Join();
            while (true) Sim.Yield();
        }, 60);
        Assert.Equal(BugKind.Livelock, report.Bug?.Kind);
        // The first schedule of DFS keeps running the spinner: main waits to join a thread that never got to start.
        Assert.Equal("livelock: the iteration exceeded 60 steps without finishing; unfinished threads: " +
            "T0 'main' (about to Join), T1 'spinner' (about to AtomicAdd), T2 'done' (about to Start)", report.Bug!.Message);
    }

    [Fact]
    public void Choose_WithOneOption_IsNoDecision_WithMore_ItIsRecorded()
    {
        var report = Once(() =>
        {
            Sim.Assert(Sim.Choose(1) == 0, "one option");
            var v = Sim.Choose(4);
            Sim.Assert(v is >= 0 and < 4, $"chose {v}");
            Sim.Assert(false, "stop");
        });
        var decisions = Decisions(report.Bug!);
        Assert.Single(decisions, d => d.StartsWith('c'));
        Assert.Equal("Choose(1) = 0", report.Bug!.Steps[1].Operation);
    }

    [Fact]
    public void AThreadsException_IsAnUnhandledException_NamingTheThreadAndTheType()
    {
        var report = Once(() =>
        {
            var t = Sim.Start("thrower", () => throw new InvalidOperationException("boom"));
            t.Join();
        });
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.StartsWith("T1 'thrower' threw System.InvalidOperationException: boom\n", report.Bug!.Message);
    }

    [Fact]
    public void TheFirstBugWins()
    {
        var report = Once(() =>
        {
            var t = Sim.Start("second", () => throw new InvalidOperationException("second"));
            throw new ArgumentException("first");
        });
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.StartsWith("T0 'main' threw System.ArgumentException: first", report.Bug!.Message);
    }

    [Fact]
    public void AWaitUntilConditionThatThrows_IsAnUnhandledException()
    {
        var report = Once(() => Sim.WaitUntil(() => throw new InvalidOperationException("bad condition"), "never"));
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.Equal("a WaitUntil condition threw System.InvalidOperationException: bad condition", report.Bug!.Message);
    }

    [Fact]
    public void DeadlockExplainers_AreAppendedInOrder_SilentOnesLeftOut_AThrowingOneNamed()
    {
        var report = Once(() =>
        {
            Sim.OnDeadlock(() => "first");
            Sim.OnDeadlock(() => null);
            Sim.OnDeadlock(() => "");
            Sim.OnDeadlock(() => throw new InvalidOperationException("cannot say"));
            Sim.OnDeadlock(() => new SimAtomic().Load().ToString());
            Sim.OnDeadlock(() => "last");
            Sim.WaitUntil(() => false, "never");
        });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Equal("deadlock: no thread can run; T0 'main' waits until never — first — (deadlock explainer threw " +
            "InvalidOperationException: cannot say) — (deadlock explainer threw InvalidOperationException: engine " +
            "primitives cannot be used inside a WaitUntil condition; read plain model state there) — last", report.Bug!.Message);
    }

    [Fact]
    public void ADeadlock_NamesEveryUnfinishedThread_AndLeavesOutFinishedOnes()
    {
        var report = Once(() =>
        {
            var l = new SimLock("l");
            l.Enter();
            var done = Sim.Start("done", () => { });
            done.Join();
            var waiter = Sim.Start("waiter", () => l.Enter());
            Sim.WaitUntil(() => false, "never");
        });
        Assert.Equal("deadlock: no thread can run; T0 'main' waits until never; T2 'waiter' waits for lock 'l', held by T0 'main'",
            report.Bug!.Message);
    }

    /// <summary>More threads enabled at once than the engine's first guess (8): every one is scheduled and finishes.</summary>
    [Fact]
    public void ManyThreads_AreAllScheduled()
    {
        var report = SystematicTest.Run(() =>
        {
            var ran = new SimAtomic(0, "ran");
            var threads = Enumerable.Range(0, 20).Select(i => Sim.Start($"t{i}", () => ran.Add(1))).ToList();
            foreach (var t in threads) t.Join();
            Sim.Assert(ran.Load() == 20, $"{ran.Peek} of 20 threads ran");
        }, new TestOptions { Strategy = "random", Seed = 3, Iterations = 50 });
        Assert.True(report.Bug is null, report.ToString());
        Assert.Equal(50, report.IterationsRun);
    }

    /// <summary>After a bug the iteration ends: a thread parked at a scheduling point unwinds instead of going on.</summary>
    [Fact]
    public void AfterABug_AParkedThreadDoesNotGoOn()
    {
        var waiting = false;
        var wentOn = false;
        var report = Once(() =>
        {
            var t = Sim.Start("parked", () =>
            {
                waiting = true;
                Sim.WaitUntil(() => wentOn, "never");
                wentOn = true;
            });
            Sim.WaitUntil(() => waiting, "the child is parked");
            Sim.Assert(false, "the bug");
            t.Join();
        });
        Assert.Equal("the bug", report.Bug?.Message);
        Assert.False(wentOn, "the parked thread went on after the bug");
    }

    /// <summary>A thread's exception ends the iteration: a thread it made runnable does not get to run.</summary>
    [Fact]
    public void AfterAThreadsException_NoOtherThreadRuns()
    {
        var go = false;
        var ran = false;
        var report = Once(() =>
        {
            Sim.Start("waiter", () =>
            {
                Sim.WaitUntil(() => go, "go");
                ran = true;
            });
            go = true;
            throw new InvalidOperationException("the bug");
        });
        Assert.Equal(BugKind.UnhandledException, report.Bug?.Kind);
        Assert.False(ran, "another thread ran after the exception");
    }

    /// <summary>Code that runs while a failing thread unwinds (a finally block) cannot schedule: its primitive unwinds too.</summary>
    [Fact]
    public void APrimitiveInAFinallyBlockAfterABug_DoesNotRun()
    {
        var after = false;
        var a = new SimAtomic(0, "a");
        var report = Once(() =>
        {
            try
            {
                Sim.Assert(false, "the bug");
            }
            finally
            {
                a.Add(1);
                after = true;
            }
        });
        Assert.Equal("the bug", report.Bug?.Message);
        Assert.False(after, "a primitive ran after the bug");
        Assert.Equal(0, a.Peek);
    }

    /// <summary>A run returns only once every thread of its last iteration has unwound, bug or not.</summary>
    [Fact]
    public void WhenARunReturns_EveryThreadOfTheIterationHasFinished()
    {
        var threads = new List<SimThread>();
        var report = Once(() =>
        {
            for (var i = 0; i < 6; i++) threads.Add(Sim.Start($"t{i}", () => Sim.WaitUntil(() => false, "never")));
            Sim.WaitUntil(() => threads.Count == 6, "all started");
            Sim.Yield();
            Sim.Assert(false, "the bug");
        });
        Assert.Equal("the bug", report.Bug?.Message);
        Assert.All(threads, t => Assert.True(t.IsCompleted, $"{t} was still running when the run returned"));
    }
}
