namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// The lock and the condition outside a systematic test, on real threads, with every hand-over made by a handshake
/// (a thread waits for a state it can see, never for time): ownership is per thread, TryEnter never waits, only the
/// holder may release, a recursive Enter is refused, an Enter on a lock another thread holds is seen blocked until it
/// is released, a signal releases exactly one parked waiter and a broadcast all
/// of them.
/// </summary>
public sealed class NativeSyncTests
{
    // Every wait is bounded, so a regression fails with a message instead of hanging the suite; the bound is far
    // beyond any handshake's time even on a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Lock_IsOwnedByTheThreadThatTookIt()
    {
        var l = new SimLock("l");
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Sim.Start("holder", () =>
        {
            l.Enter();
            held.Set();
            Assert.True(release.Wait(Bound), "the test never released the holder");
            l.Exit();
        });
        Assert.True(held.Wait(Bound), "the holder never took the lock");
        Assert.True(l.IsHeld);
        Assert.False(l.IsHeldByCurrentThread);
        Assert.False(l.TryEnter());
        var e = Assert.Throws<SynchronizationLockException>(l.Exit);
        Assert.Equal("lock 'l' released by a thread that does not hold it", e.Message);
        Assert.True(l.IsHeld);
        release.Set();
        Join(holder);

        Assert.False(l.IsHeld);
        Assert.True(l.TryEnter());
        Assert.True(l.IsHeldByCurrentThread);
        var again = Assert.Throws<LockRecursionException>(l.Enter);
        Assert.Equal("lock 'l' is not reentrant and is already held by this thread", again.Message);
        l.Exit();
        Assert.False(l.IsHeld);
        Assert.Throws<SynchronizationLockException>(l.Exit);
    }

    /// <summary>
    /// Enter on a lock another thread holds waits for it (it is not the recursion the lock refuses): while the test
    /// holds the lock, the waiter is seen blocked inside Enter (the lock counts it) and has not got through; once the
    /// test releases, it gets the lock.
    /// </summary>
    [Fact]
    public void Enter_OnALockHeldByAnotherThread_WaitsForIt()
    {
        var l = new SimLock("l");
        l.Enter();
        var entered = 0;
        var waiter = Sim.Start("waiter", () =>
        {
            l.Enter();
            Volatile.Write(ref entered, 1);
            l.Exit();
        });
        var blocked = SpinWait.SpinUntil(() => l.NativeWaiters == 1, Bound);
        var throughWhileHeld = Volatile.Read(ref entered) == 1;
        // Released before asserting, so a failure does not leave the waiter spinning for the rest of the run.
        l.Exit();
        Join(waiter);

        Assert.True(blocked, "the waiter's Enter never blocked on the held lock");
        Assert.False(throughWhileHeld, "the waiter got the lock while the test held it");
        Assert.Equal(1, Volatile.Read(ref entered));
        Assert.Equal(0, l.NativeWaiters);
        Assert.False(l.IsHeld);
    }

    /// <summary>
    /// Three threads park in Wait (each re-checks its permit, Mesa style). One signal releases exactly one of them —
    /// two are still parked the moment it returns — and a broadcast then releases the other two.
    /// </summary>
    [Fact]
    public void Signal_ReleasesOneParkedWaiter_AndBroadcastTheRest()
    {
        var l = new SimLock("l");
        var c = new SimCondition(l, "c");
        var permits = 0;   // guarded by l
        var woken = 0;     // guarded by l
        var waiters = Enumerable.Range(0, 3).Select(i => Sim.Start($"w{i}", () =>
        {
            l.Enter();
            while (permits == 0) c.Wait();
            Assert.True(l.IsHeldByCurrentThread, "woken without the lock");
            permits--;
            woken++;
            l.Exit();
        })).ToArray();
        Assert.True(SpinWait.SpinUntil(() => c.NativeWaiters == 3, Bound), $"{c.NativeWaiters} of 3 threads parked in Wait");

        l.Enter();
        Assert.Equal(3, c.NativeWaiters);
        permits = 1;
        c.Signal();
        Assert.Equal(2, c.NativeWaiters);
        l.Exit();
        Assert.True(SpinWait.SpinUntil(() => Locked(l, () => woken) == 1, Bound), "the signalled waiter never got through");

        l.Enter();
        Assert.Equal(2, c.NativeWaiters);
        permits = 2;
        c.Broadcast();
        Assert.Equal(0, c.NativeWaiters);
        l.Exit();
        foreach (var w in waiters) Join(w);
        Assert.Equal(3, woken);
        Assert.Equal(0, permits);
    }

    [Fact]
    public void SignalAndBroadcast_WithNobodyParked_AreLost()
    {
        var l = new SimLock("l");
        var c = new SimCondition(l, "c");
        c.Signal();
        c.Broadcast();
        Assert.Equal(0, c.NativeWaiters);
        Assert.Throws<SynchronizationLockException>(c.Wait);
    }

    private static void Join(SimThread t)
    {
        Assert.True(SpinWait.SpinUntil(() => t.IsCompleted, Bound), $"{t} did not finish");
        t.Join();   // rethrows what the thread threw
    }

    private static T Locked<T>(SimLock l, Func<T> read)
    {
        l.Enter();
        try
        {
            return read();
        }
        finally
        {
            l.Exit();
        }
    }
}
