namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// The lock and the condition outside a systematic test, on real threads, with every hand-over made by a handshake
/// (a thread waits for a state it can see, never for time): ownership is per thread, TryEnter never waits, only the
/// holder may release, a recursive Enter is refused, a signal releases exactly one parked waiter and a broadcast all
/// of them.
/// </summary>
public sealed class NativeSyncTests
{
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
            release.Wait();
            l.Exit();
        });
        held.Wait();
        Assert.True(l.IsHeld);
        Assert.False(l.IsHeldByCurrentThread);
        Assert.False(l.TryEnter());
        var e = Assert.Throws<SynchronizationLockException>(l.Exit);
        Assert.Equal("lock 'l' released by a thread that does not hold it", e.Message);
        Assert.True(l.IsHeld);
        release.Set();
        holder.Join();

        Assert.False(l.IsHeld);
        Assert.True(l.TryEnter());
        Assert.True(l.IsHeldByCurrentThread);
        var again = Assert.Throws<LockRecursionException>(l.Enter);
        Assert.Equal("lock 'l' is not reentrant and is already held by this thread", again.Message);
        l.Exit();
        Assert.False(l.IsHeld);
        Assert.Throws<SynchronizationLockException>(l.Exit);
    }

    /// <summary>Enter on a lock another thread holds waits for it (it is not the recursion the lock refuses).</summary>
    [Fact]
    public void Enter_OnALockHeldByAnotherThread_WaitsForIt()
    {
        var l = new SimLock("l");
        using var held = new ManualResetEventSlim();
        var entering = 0;
        var holder = Sim.Start("holder", () =>
        {
            l.Enter();
            held.Set();
            SpinWait.SpinUntil(() => Volatile.Read(ref entering) == 1);
            l.Exit();
        });
        held.Wait();
        Volatile.Write(ref entering, 1);
        l.Enter();
        Assert.True(l.IsHeldByCurrentThread);
        l.Exit();
        holder.Join();
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
        SpinWait.SpinUntil(() => c.NativeWaiters == 3);

        l.Enter();
        Assert.Equal(3, c.NativeWaiters);
        permits = 1;
        c.Signal();
        Assert.Equal(2, c.NativeWaiters);
        l.Exit();
        SpinWait.SpinUntil(() => Locked(l, () => woken) == 1);

        l.Enter();
        Assert.Equal(2, c.NativeWaiters);
        permits = 2;
        c.Broadcast();
        Assert.Equal(0, c.NativeWaiters);
        l.Exit();
        foreach (var w in waiters) w.Join();
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
