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
