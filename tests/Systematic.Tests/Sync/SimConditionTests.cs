namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// The condition variable's semantics, each checked over every schedule (unbounded DFS of small programs): a signal
/// wakes exactly one waiter, a broadcast every waiter present, a signal with no waiter is lost, a woken waiter
/// re-takes the lock before it runs, signal→woken is a happens-before edge, and Wait is a scheduling point before it
/// releases the lock.
/// </summary>
public sealed class SimConditionTests
{
    private static TestReport Every(Action body, bool races = false) => SystematicTest.Run(body,
        new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000, DetectDataRaces = races });

    private static void Verified(TestReport report)
    {
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, report.ToString());
    }

    /// <summary>
    /// Two waiters, then one signal: exactly one wakes (the other is still waiting when the signaller looks, under
    /// the lock, after the woken one is done); a second signal wakes the other one, never the first again.
    /// </summary>
    [Fact]
    public void Signal_WakesExactlyOneWaiter_AndANextSignalTheOther()
    {
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var woken = new SimVar<int>(0, "woken");
            var entered = 0;
            void Waiter()
            {
                l.Enter();
                entered++;
                c.Wait();
                woken.Write(woken.Read() + 1);
                l.Exit();
            }
            var a = Sim.Start("a", Waiter);
            var b = Sim.Start("b", Waiter);
            Sim.WaitUntil(() => entered == 2 && !l.IsHeld, "both waiting");
            l.Enter();
            c.Signal();
            l.Exit();
            Sim.WaitUntil(() => woken.Peek == 1 && !l.IsHeld, "one woken");
            l.Enter();
            Sim.Assert(woken.Read() == 1, $"one signal woke {woken.Peek} waiters");
            c.Signal();
            l.Exit();
            a.Join();
            b.Join();
            Sim.Assert(woken.Peek == 2, $"two signals woke {woken.Peek} waiters");
        }));
    }

    [Fact]
    public void Signal_WithNoWaiter_IsLost()
    {
        var report = Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            l.Enter();
            c.Signal();
            l.Exit();
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                c.Wait();
                l.Exit();
            });
            waiter.Join();
        });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("waits on condition 'c' (no signal will come)", report.Bug!.Message);
    }

    /// <summary>A broadcast wakes the waiters present; a later waiter needs a signal of its own, which wakes it.</summary>
    [Fact]
    public void Broadcast_WakesEveryWaiterPresent_AndForgetsThem()
    {
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var entered = 0;
            var woken = 0;
            void Waiter()
            {
                l.Enter();
                entered++;
                c.Wait();
                woken++;
                l.Exit();
            }
            var a = Sim.Start("a", Waiter);
            var b = Sim.Start("b", Waiter);
            Sim.WaitUntil(() => entered == 2 && !l.IsHeld, "both waiting");
            l.Enter();
            c.Broadcast();
            l.Exit();
            a.Join();
            b.Join();
            Sim.Assert(woken == 2, $"broadcast woke {woken} of 2");
            var late = Sim.Start("late", Waiter);
            Sim.WaitUntil(() => entered == 3 && !l.IsHeld, "late waiting");
            l.Enter();
            c.Signal();
            l.Exit();
            late.Join();
            Sim.Assert(woken == 3, "the signal after a broadcast did not wake the late waiter");
        }));
    }

    /// <summary>Mesa semantics: the woken waiter runs only once the signaller has released the lock.</summary>
    [Fact]
    public void WokenWaiter_ReacquiresTheLockBeforeItRuns()
    {
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var entered = false;
            var signallerDone = false;
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                entered = true;
                c.Wait();
                Sim.Assert(l.IsHeldByCurrentThread, "woken without the lock");
                Sim.Assert(signallerDone, "the woken waiter ran inside the signaller's critical section");
                l.Exit();
            });
            Sim.WaitUntil(() => entered && !l.IsHeld, "waiter waiting");
            l.Enter();
            c.Signal();
            Sim.Yield();
            signallerDone = true;
            l.Exit();
            waiter.Join();
        }));
    }

    /// <summary>
    /// The signaller writes plain data and signals without holding the lock, so only the signal→woken edge orders the
    /// write before the woken waiter's read: no race may be reported. Its twin signals before writing: a race.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SignalToWoken_IsAHappensBeforeEdge(bool writeBeforeSignal)
    {
        var report = Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var data = new SimVar<int>(0, "data");
            var entered = false;
            var consumer = Sim.Start("consumer", () =>
            {
                l.Enter();
                entered = true;
                c.Wait();
                l.Exit();
                data.Read();
            });
            Sim.WaitUntil(() => entered && !l.IsHeld, "consumer waiting");
            if (writeBeforeSignal) data.Write(42);
            c.Signal();
            if (!writeBeforeSignal) data.Write(42);
            consumer.Join();
        }, races: true);
        if (writeBeforeSignal) Verified(report);
        else
        {
            Assert.Equal(BugKind.DataRace, report.Bug?.Kind);
            Assert.Contains("var 'data'", report.Bug!.Message);
        }
    }

    /// <summary>
    /// Wait is a scheduling point before it releases the lock: another thread can run while the waiter still holds
    /// it, after the waiter's last store. Some schedule must show that state.
    /// </summary>
    [Fact]
    public void Wait_IsASchedulingPointBeforeTheLockIsReleased()
    {
        var seen = false;
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var x = new SimAtomic(0, "x");
            var go = false;
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                x.Store(1);
                if (!go) c.Wait();
                l.Exit();
            });
            if (x.Load() == 1 && l.IsHeld) seen = true;
            l.Enter();
            go = true;
            c.Signal();
            l.Exit();
            waiter.Join();
        }));
        Assert.True(seen, "no schedule ran another thread between the waiter's store and its wait");
    }

    /// <summary>
    /// Signal and Broadcast are scheduling points before they take effect: a waiter that saw the signaller's store
    /// of x can still start waiting before the signal and be woken by it (it then sees y still 0). Were the wake-up
    /// part of the store's step, a waiter seeing x = 1 would always come too late and only the final broadcast,
    /// after y = 1, would wake it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignalAndBroadcast_AreSchedulingPointsBeforeTheyWake(bool broadcast)
    {
        var wokenBeforeY = false;
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var x = new SimAtomic(0, "x");
            var y = new SimAtomic(0, "y");
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                if (x.Load() == 1 && y.Load() == 0)
                {
                    c.Wait();
                    if (y.Load() == 0) wokenBeforeY = true;
                }
                l.Exit();
            });
            x.Store(1);
            if (broadcast) c.Broadcast();
            else c.Signal();
            y.Store(1);
            l.Enter();
            c.Broadcast();
            l.Exit();
            waiter.Join();
        }));
        Assert.True(wokenBeforeY, "no schedule let a waiter that saw x = 1 start waiting before the wake-up");
    }

    /// <summary>
    /// A signalled waiter that cannot get the lock back is waiting for the lock, not for a signal: the deadlock
    /// report says who holds it.
    /// </summary>
    [Fact]
    public void SignalledWaiter_StuckOnTheLock_IsReportedAsWaitingForTheLock()
    {
        var report = Every(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var entered = false;
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                entered = true;
                c.Wait();
                l.Exit();
            });
            Sim.WaitUntil(() => entered && !l.IsHeld, "waiter waiting");
            l.Enter();
            c.Signal();
            waiter.Join();   // still holding the lock the woken waiter needs
        });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Contains("waits for lock 'l', held by T0", report.Bug!.Message);
        Assert.DoesNotContain("no signal will come", report.Bug.Message);
    }

    /// <summary>The interleaving says what each signal did: nobody to wake, which thread it woke, how many a broadcast woke.</summary>
    [Fact]
    public void Interleaving_SaysWhomEachSignalWoke()
    {
        var report = SystematicTest.Run(() =>
        {
            var l = new SimLock("l");
            var c = new SimCondition(l, "c");
            var waiting = 0;
            void Waiter()
            {
                l.Enter();
                waiting++;
                c.Wait();
                l.Exit();
            }
            l.Enter();
            c.Signal();
            l.Exit();
            var a = Sim.Start("a", Waiter);
            Sim.WaitUntil(() => waiting == 1 && !l.IsHeld, "a waiting");
            var b = Sim.Start("b", Waiter);
            Sim.WaitUntil(() => waiting == 2 && !l.IsHeld, "b waiting");
            l.Enter();
            c.Signal();
            c.Broadcast();
            c.Broadcast();
            l.Exit();
            a.Join();
            b.Join();
            Sim.Assert(false, "stop here to read the interleaving");
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        var signals = report.Bug!.Steps.Where(s => s.Target == "condition 'c'").Select(s => s.Operation).ToArray();
        Assert.Equal(["Signal (no waiter)", "Wait (releases the lock)", "Wait (releases the lock)", "Signal (wakes T1)",
            "Broadcast (wakes 1)", "Broadcast (wakes 0)"], signals);
    }

    /// <summary>
    /// A condition outlives an iteration: a thread left waiting when an earlier run ended is not a waiter of the next
    /// one, so a signal or broadcast there finds nobody to wake.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WaiterLeftByAnEarlierRun_IsNotWokenInTheNext(bool broadcast)
    {
        var l = new SimLock("l");
        var c = new SimCondition(l, "c");
        var left = SystematicTest.Run(() =>
        {
            var waiter = Sim.Start("waiter", () =>
            {
                l.Enter();
                c.Wait();
                l.Exit();
            });
            waiter.Join();
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Equal(BugKind.Deadlock, left.Bug?.Kind);
        var next = SystematicTest.Run(() =>
        {
            if (broadcast) c.Broadcast();
            else c.Signal();
            Sim.Assert(false, "stop here to read the interleaving");
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        var step = Assert.Single(next.Bug!.Steps, s => s.Target == "condition 'c'");
        Assert.Equal(broadcast ? "Broadcast (wakes 0)" : "Signal (no waiter)", step.Operation);
    }

    [Fact]
    public void Wait_WithoutTheLock_IsRefused()
    {
        var report = Every(() =>
        {
            var l = new SimLock("l");
            new SimCondition(l, "c").Wait();
        });
        Assert.NotNull(report.Bug);
        Assert.Contains("Wait on condition 'c' without holding lock 'l'", report.Bug!.Message);
    }

    [Fact]
    public void Describe_NamesTheConditionOrItsLock()
    {
        var l = new SimLock("l");
        Assert.Equal("condition 'c'", new SimCondition(l, "c").ToString());
        Assert.Equal("condition on lock 'l'", new SimCondition(l).ToString());
        Assert.Throws<ArgumentNullException>(() => new SimCondition(null!));
    }
}
