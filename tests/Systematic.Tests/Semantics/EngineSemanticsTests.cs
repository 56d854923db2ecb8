namespace HighMemConcurrency.Systematic.Tests.Semantics;

/// <summary>
/// What one iteration does with its steps and its bugs, the same under every engine behind <see cref="ITestEngine"/>:
/// one step per scheduling point and the step bound exact; a choice of one option is no choice; a thread's exception,
/// a throwing WaitUntil condition and a deadlock said in words, the explainers appended in order (silent ones left out,
/// a throwing one named); after a bug nothing else runs, not even a primitive in a finally block; a run returns with
/// every thread of its iterations finished; twenty threads all scheduled. Each engine's test project runs these
/// through a subclass (this file is linked into tests/Systematic.Coyote.Tests); what only one engine promises stays
/// in that project's own tests.
/// </summary>
public abstract class EngineSemanticsTests
{
    /// <summary>The engine under test.</summary>
    protected abstract ITestEngine Engine { get; }

    /// <summary>A strategy of <see cref="Engine"/> whose first schedule of these programs is fixed by the seed.</summary>
    protected abstract string Strategy { get; }

    private TestReport Once(Action body, int maxSteps = 10_000) =>
        Engine.Run(body, new TestOptions { Strategy = Strategy, Iterations = 1, Seed = 1, MaxSteps = maxSteps });

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
    public void Choose_WithOneOption_IsZero_AndTheInterleavingShowsEveryChoice()
    {
        var report = Once(() =>
        {
            Sim.Assert(Sim.Choose(1) == 0, "one option");
            var v = Sim.Choose(4);
            Sim.Assert(v is >= 0 and < 4, $"chose {v}");
            Sim.Assert(false, $"stop {v}");
        });
        var chosen = int.Parse(report.Bug!.Message["stop ".Length..]);
        Assert.Equal(["Choose(1) = 0", $"Choose(4) = {chosen}"],
            report.Bug.Steps.Where(s => s.Operation.StartsWith("Choose", StringComparison.Ordinal)).Select(s => s.Operation));
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
    public void AWaitUntilConditionThatThrows_IsAnUnhandledException()
    {
        var report = Once(() =>
        {
            var armed = false;
            var t = Sim.Start("waiter", () => Sim.WaitUntil(() => armed ? throw new InvalidOperationException("bad condition") : false, "never"));
            armed = true;
            Sim.Yield();
            t.Join();
        });
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
        Assert.StartsWith("T0 'main' threw System.InvalidOperationException: the bug", report.Bug!.Message);
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
            Sim.Yield();
            Sim.Assert(false, "the bug");
        });
        Assert.Equal("the bug", report.Bug?.Message);
        Assert.All(threads, t => Assert.True(t.IsCompleted, $"{t} was still running when the run returned"));
    }

    /// <summary>More threads enabled at once than an engine's first guess: every one is scheduled and finishes.</summary>
    [Fact]
    public void ManyThreads_AreAllScheduled()
    {
        var report = Engine.Run(() =>
        {
            var ran = new SimAtomic(0, "ran");
            var threads = Enumerable.Range(0, 20).Select(i => Sim.Start($"t{i}", () => ran.Add(1))).ToList();
            foreach (var t in threads) t.Join();
            Sim.Assert(ran.Load() == 20, $"{ran.Peek} of 20 threads ran");
        }, new TestOptions { Strategy = Strategy, Seed = 3, Iterations = 20 });
        Assert.True(report.Bug is null, report.ToString());
        Assert.Equal(20, report.IterationsRun);
    }
}
