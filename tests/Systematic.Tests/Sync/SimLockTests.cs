namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// The lock's semantics under test, over every schedule of small programs: mutual exclusion, TryEnter never waits
/// and takes a free lock, release→acquire is a happens-before edge, a recursive acquire is a deadlock that names
/// itself, only the holder may release, and a lock left held by an earlier iteration is free in the next.
/// </summary>
public sealed class SimLockTests
{
    private static TestReport Every(Action body, bool races = true) => SystematicTest.Run(body,
        new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000, DetectDataRaces = races });

    private static void Verified(TestReport report)
    {
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, report.ToString());
    }

    /// <summary>Two threads in one critical section: never both inside, and no race on what it protects.</summary>
    [Fact]
    public void Enter_ExcludesTheOtherThread_AndOrdersItsAccesses()
    {
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var data = new SimVar<int>(0, "data");
            var inside = 0;
            void Critical()
            {
                l.Enter();
                Sim.Assert(l.IsHeldByCurrentThread && l.IsHeld, "Enter returned without the lock");
                inside++;
                Sim.Assert(inside == 1, "two threads inside the critical section");
                data.Write(data.Read() + 1);
                inside--;
                l.Exit();
                Sim.Assert(!l.IsHeldByCurrentThread, "still held after Exit");
            }
            var a = Sim.Start("a", Critical);
            var b = Sim.Start("b", Critical);
            a.Join();
            b.Join();
            Sim.Assert(data.Peek == 2 && !l.IsHeld, $"data {data.Peek}, held {l.IsHeld}");
        }));
    }

    /// <summary>TryEnter takes a free lock and returns true; on a held lock it returns false at once.</summary>
    [Fact]
    public void TryEnter_TakesAFreeLock_AndNeverWaitsForAHeldOne()
    {
        var outcomes = new HashSet<bool>();
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var holder = Sim.Start("holder", () =>
            {
                l.Enter();
                Sim.Yield();
                l.Exit();
            });
            var got = l.TryEnter();
            outcomes.Add(got);
            Sim.Assert(got == l.IsHeldByCurrentThread, $"TryEnter returned {got}, holds {l.IsHeldByCurrentThread}");
            if (got) l.Exit();
            holder.Join();
        }));
        Assert.Equal([false, true], outcomes.Order());
    }

    [Fact]
    public void RecursiveEnter_IsADeadlockThatNamesItself()
    {
        var report = Every(() =>
        {
            var l = new SimLock("self");
            l.Enter();
            l.Enter();
        });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("waits for lock 'self', held by itself (a recursive acquire)", report.Bug!.Message);
    }

    [Fact]
    public void DeadlockReport_NamesTheHolder()
    {
        var report = Every(TextbookPrograms.LockOrder(fixedVersion: false), races: false);
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Matches(@"waits for lock '[AB]', held by \S+", report.Bug!.Message);
        Assert.DoesNotContain("held by nobody", report.Bug.Message);
    }

    [Fact]
    public void Exit_ByAThreadThatDoesNotHoldIt_IsReported()
    {
        var report = Every(() =>
        {
            var l = new SimLock("l");
            var other = Sim.Start("other", l.Enter);
            other.Join();
            l.Exit();
        });
        Assert.NotNull(report.Bug);
        Assert.Contains("lock 'l' released by", report.Bug!.Message);
        Assert.Contains("which does not hold it (held by", report.Bug.Message);
    }

    /// <summary>An object may outlive an iteration: the holder of the previous iteration does not hold it now.</summary>
    [Fact]
    public void LockHeldWhenAnIterationEnded_IsFreeInTheNext()
    {
        var l = new SimLock("kept");
        var report = SystematicTest.Run(() =>
        {
            Sim.Assert(!l.IsHeld, "held at the start of an iteration");
            Sim.Assert(l.TryEnter(), "TryEnter failed on a lock nobody holds in this iteration");
        }, new TestOptions { Strategy = "random", Iterations = 5 });
        Assert.Null(report.Bug);
        Assert.Equal(5, report.IterationsRun);
    }

    /// <summary>The interleaving shows what each TryEnter returned (the lock is not reentrant: a second try fails).</summary>
    [Fact]
    public void Interleaving_ShowsTryEnterResults()
    {
        var report = SystematicTest.Run(() =>
        {
            var l = new SimLock("l");
            Sim.Assert(l.TryEnter(), "TryEnter failed on a free lock");
            Sim.Assert(!l.TryEnter(), "TryEnter took a lock its caller already holds");
            l.Exit();
            Sim.Assert(false, "stop here to read the interleaving");
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Equal(BugKind.AssertionFailure, report.Bug?.Kind);
        var ops = report.Bug!.Steps.Where(s => s.Target == "lock 'l'").Select(s => s.Operation).ToArray();
        Assert.Equal(["TryEnter = true", "TryEnter = false", "Exit"], ops);
    }

    /// <summary>
    /// Exit is a scheduling point before the lock is released: another thread can run while the holder still holds
    /// it, after the holder's last store. Some schedule must show that state.
    /// </summary>
    [Fact]
    public void Exit_IsASchedulingPointBeforeTheLockIsReleased()
    {
        var seen = false;
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var x = new SimAtomic(0, "x");
            var holder = Sim.Start("holder", () =>
            {
                l.Enter();
                x.Store(1);
                l.Exit();
            });
            if (x.Load() == 1 && l.IsHeld) seen = true;
            holder.Join();
        }));
        Assert.True(seen, "no schedule ran another thread between the holder's store and its release");
    }

    /// <summary>
    /// Releasing a free lock names it and says nobody holds it; a lock created outside the test is labelled when the
    /// iteration first touches it, even when that touch is the failed release.
    /// </summary>
    [Fact]
    public void Exit_OfAFreeLock_SaysNobodyHoldsIt()
    {
        var outside = new SimLock();
        var report = Every(() => outside.Exit());
        Assert.NotNull(report.Bug);
        Assert.Contains("lock#1 released by T0 'main', which does not hold it (held by nobody)", report.Bug!.Message);
    }

    /// <summary>Unnamed locks are numbered in creation order, not in the order the iteration first uses them.</summary>
    [Fact]
    public void UnnamedLocks_AreNumberedWhenCreated()
    {
        var report = Every(() =>
        {
            var first = new SimLock();
            var second = new SimLock();
            second.Enter();
            first.Enter();
            Sim.Assert(false, $"{first} {second}");
        });
        Assert.Contains("lock#1 lock#2", report.Bug!.Message);
    }

    /// <summary>
    /// The release→acquire edge belongs to one execution: a lock released by T1 in an earlier run must not order
    /// T1's write before main's read in the next run, where T1 never touches the lock.
    /// </summary>
    [Fact]
    public void ReleaseInAnEarlierRun_OrdersNothingInTheNext()
    {
        var l = new SimLock("kept");
        var earlier = Every(() =>
        {
            var t = Sim.Start("t", () =>
            {
                l.Enter();
                l.Exit();
            });
            t.Join();
        });
        Verified(earlier);
        var next = SystematicTest.Run(() =>
        {
            var data = new SimVar<int>(0, "data");
            var written = false;
            var t = Sim.Start("t", () =>
            {
                data.Write(1);
                written = true;
            });
            Sim.WaitUntil(() => written, "written");
            l.Enter();
            l.Exit();
            data.Read();
            t.Join();
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Equal(BugKind.DataRace, next.Bug?.Kind);
        Assert.Contains("var 'data'", next.Bug!.Message);
    }

    [Fact]
    public void Describe_UsesTheNameOrTheCreationLabel()
    {
        Assert.Equal("lock 'a'", new SimLock("a").ToString());
        Assert.StartsWith("lock", new SimLock().ToString());
    }
}
