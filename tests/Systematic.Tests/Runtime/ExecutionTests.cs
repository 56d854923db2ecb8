using System.Text.Json;

namespace HighMemConcurrency.Systematic.Tests.Runtime;

/// <summary>
/// What only our engine promises about an iteration (the rest, shared with Coyote, is in
/// <see cref="Semantics.EngineSemanticsTests"/>): a switch counted exactly when the turn goes to another OS thread, a
/// livelock naming every unfinished thread, a one-option choice recorded as no decision in the trace, the first bug
/// winning, and a deadlock naming only unfinished threads.
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

}
