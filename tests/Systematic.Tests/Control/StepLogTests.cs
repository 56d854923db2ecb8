namespace HighMemConcurrency.Systematic.Tests.Control;

/// <summary>
/// The interleaving's text for each kind of step, as a person reads it in a report: the operation, its object and
/// the value it produced, the thread that ran it, the notes the model attached, and steps numbered from 1.
/// </summary>
public sealed class StepLogTests
{
    private static BugReport Stopped(Action body, int maxSteps = 10_000)
    {
        var report = SystematicTest.Run(() =>
        {
            body();
            Sim.Assert(false, "stop here to read the interleaving");
        }, new TestOptions { Strategy = "dfs", Iterations = 1, MaxSteps = maxSteps });
        Assert.True(report.Bug?.Message == "stop here to read the interleaving", report.ToString());
        return report.Bug!;
    }

    [Fact]
    public void EveryOperation_ReadsAsItsName_WithItsObjectAndResult()
    {
        var bug = Stopped(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var x = new SimVar<int>(0, "x");
            var t = Sim.Start("child", () =>
            {
                l.Enter();
                c.Signal();
                l.Exit();
            });
            Sim.Yield();
            _ = Sim.Choose(3);
            x.Write(x.Read() + 1);
            Sim.SchedulingPoint("kmap_high");
            Sim.WaitUntil(() => true, "always");
            l.Enter();
            c.Wait();
            l.Exit();
            t.Join();
        });
        var main = bug.Steps.Where(s => s.ThreadId == 0).Select(s => (s.Operation, s.Target)).ToArray();
        Assert.Equal([
            ("start", null),
            ("Start(T1)", null),
            ("Yield", null),
            ("Choose(3) = 0", null),
            ("Read", "var 'x'"),
            ("Write", "var 'x'"),
            ("kmap_high", null),
            ("WaitUntil", "always"),
            ("Enter", "lock 'l'"),
            ("Wait (releases the lock)", "condition 'c'"),
            ("wake up and re-acquire the lock after Wait", "lock 'l'"),
            ("Exit", "lock 'l'"),
            ("Join", "T1 'child'"),
        ], main);
        var child = bug.Steps.Where(s => s.ThreadId == 1).Select(s => s.Operation).ToArray();
        Assert.Equal(["start", "Enter", "Signal (wakes T0)", "Exit"], child);
        Assert.Equal(Enumerable.Range(1, bug.Steps.Count), bug.Steps.Select(s => s.Step));
        Assert.All(bug.Steps.Where(s => s.ThreadId == 1), s => Assert.Equal("child", s.ThreadName));
    }

    [Fact]
    public void Notes_BelongToTheStepThatMadeThem()
    {
        var bug = Stopped(() =>
        {
            Sim.Note("before any step of its own");
            Sim.SchedulingPoint("first");
            Sim.Note("one");
            Sim.Note("two");
            Sim.SchedulingPoint("second");
        });
        var first = Assert.Single(bug.Steps, s => s.Operation == "first");
        Assert.Equal(["one", "two"], first.Notes);
        Assert.Empty(Assert.Single(bug.Steps, s => s.Operation == "second").Notes);
        Assert.Equal(["before any step of its own"], bug.Steps[0].Notes);
    }

    /// <summary>The log starts with room for 256 steps and grows: a long iteration keeps every step, in order.</summary>
    [Fact]
    public void ALongIteration_KeepsEveryStep()
    {
        var bug = Stopped(() =>
        {
            for (var i = 0; i < 600; i++) Sim.SchedulingPoint($"p{i}");
        });
        var points = bug.Steps.Where(s => s.Operation.StartsWith('p')).Select(s => s.Operation).ToArray();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"p{i}"), points);
    }

    /// <summary>Each iteration's log starts empty: nothing of a longer earlier iteration shows in a later bug.</summary>
    [Fact]
    public void AnIterationAfterALongOne_StartsAnEmptyLog()
    {
        var iteration = 0;
        var report = SystematicTest.Run(() =>
        {
            if (++iteration == 1)
            {
                for (var i = 0; i < 300; i++) Sim.SchedulingPoint("long");
                return;
            }
            Sim.SchedulingPoint("short");
            Sim.Assert(false, "second iteration");
        }, new TestOptions { Strategy = "random", Seed = 1, Iterations = 2 });
        Assert.Equal(2, report.Bug?.Iteration);
        Assert.DoesNotContain(report.Bug!.Steps, s => s.Operation == "long");
        Assert.Equal(["start", "short"], report.Bug.Steps.Select(s => s.Operation));
    }
}
