namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// Unnamed primitives are named by creation order within the iteration, so a report reads the same in every run,
/// every process and on replay (a hash code would differ each time).
/// </summary>
public sealed class ObjectLabelTests
{
    // AB/BA lock order with unnamed locks created inside the test body: a deadlock names both locks.
    private static void UnnamedLockOrder()
    {
        var a = new SimLock();
        var b = new SimLock();
        var t = Sim.Start("other", () =>
        {
            b.Enter();
            a.Enter();
            a.Exit();
            b.Exit();
        });
        a.Enter();
        b.Enter();
        b.Exit();
        a.Exit();
        t.Join();
    }

    private static BugReport FindDeadlock(ulong seed)
    {
        var report = SystematicTest.Run(UnnamedLockOrder, new TestOptions { Strategy = "random", Seed = seed, Iterations = 1000 });
        Assert.NotNull(report.Bug);
        Assert.Equal(BugKind.Deadlock, report.Bug!.Kind);
        return report.Bug;
    }

    [Fact]
    public void UnnamedLocks_AreLabelledByCreationOrder()
    {
        var bug = FindDeadlock(seed: 1);
        // Which thread holds which lock depends on the schedule, but the labels are always the creation indices.
        Assert.Contains("lock#1", bug.Message);
        Assert.Contains("lock#2", bug.Message);
        Assert.DoesNotContain("lock#3", bug.Message);
    }

    [Fact]
    public void UnnamedLabels_RepeatAcrossRunsAndOnReplay()
    {
        var first = FindDeadlock(seed: 2);
        var second = FindDeadlock(seed: 2);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.Interleaving, second.Interleaving);
        var replay = SystematicTest.Replay(UnnamedLockOrder, first.TraceJson);
        Assert.Equal(first.Message, replay.Bug!.Message);
        Assert.Equal(first.Interleaving, replay.Bug.Interleaving);
    }

    [Fact]
    public void ObjectCreatedOutsideTheTest_IsNumberedWhenAnIterationFirstTouchesIt()
    {
        var shared = new SimVar<int>();
        var report = SystematicTest.Run(() =>
        {
            var t = Sim.Start("writer", () => shared.Write(1));
            shared.Write(2);
            t.Join();
        }, new TestOptions { Strategy = "random", Seed = 1, Iterations = 100 });
        Assert.Equal(BugKind.DataRace, report.Bug?.Kind);
        Assert.Contains("data race on var#1:", report.Bug!.Message);
    }
}
