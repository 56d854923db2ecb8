namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Outside a systematic test the primitives are the real thing, on real threads.</summary>
public sealed class NativeModeTests
{
    [Fact]
    public void LockedCounter_OnRealThreads_CountsExactly()
    {
        var l = new SimLock("native");
        var counter = new SimVar<int>(0);
        var threads = Enumerable.Range(0, 4).Select(i => Sim.Start($"t{i}", () =>
        {
            for (var k = 0; k < 20_000; k++)
            {
                l.Enter();
                counter.Write(counter.Read() + 1);
                l.Exit();
            }
        })).ToArray();
        foreach (var t in threads) t.Join();
        Assert.Equal(80_000, counter.Peek);
        Assert.False(Sim.IsControlled);
    }

    [Fact]
    public void Atomic_OnRealThreads_IsAtomic()
    {
        var a = new SimAtomic();
        var threads = Enumerable.Range(0, 4).Select(i => Sim.Start($"t{i}", () =>
        {
            for (var k = 0; k < 20_000; k++) a.Add(1);
        })).ToArray();
        foreach (var t in threads) t.Join();
        Assert.Equal(80_000, a.Load());
        Assert.Equal(80_000, a.Exchange(5));
        Assert.Equal(5, a.CompareExchange(6, 5));
        Assert.Equal(6, a.Peek);
    }

    [Fact]
    public void Condition_OnRealThreads_HandsOverEveryItem()
    {
        var l = new SimLock();
        var notEmpty = new SimCondition(l);
        var queue = new Queue<int>();
        const int items = 2_000;
        var consumed = 0;
        var consumer = Sim.Start("consumer", () =>
        {
            for (var i = 0; i < items; i++)
            {
                l.Enter();
                while (queue.Count == 0) notEmpty.Wait();
                consumed += queue.Dequeue() == i ? 1 : 0;
                l.Exit();
            }
        });
        for (var i = 0; i < items; i++)
        {
            l.Enter();
            queue.Enqueue(i);
            notEmpty.Signal();
            l.Exit();
        }
        consumer.Join();
        Assert.Equal(items, consumed);
    }

    [Fact]
    public void WaitUntil_OnRealThreads_ReturnsOnceTheConditionHolds()
    {
        var flag = 0;
        var setter = Sim.Start("setter", () => Volatile.Write(ref flag, 1));
        Sim.WaitUntil(() => Volatile.Read(ref flag) == 1, "flag set");
        setter.Join();
        Assert.Equal(1, flag);
    }

    [Fact]
    public void FailedAssert_Throws() =>
        Assert.Equal("broken", Assert.Throws<SimAssertionException>(() => Sim.Assert(false, "broken")).Message);

    [Fact]
    public void ExceptionInANativeThread_IsRethrownByJoin()
    {
        var t = Sim.Start("thrower", () => throw new InvalidOperationException("boom"));
        var e = Assert.Throws<SimThreadException>(t.Join);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void RecursiveEnter_IsRefused()
    {
        var l = new SimLock("once");
        l.Enter();
        Assert.Throws<LockRecursionException>(l.Enter);
        l.Exit();
        Assert.Throws<SynchronizationLockException>(l.Exit);
    }

    [Fact]
    public void Choose_StaysInRange()
    {
        for (var i = 0; i < 100; i++) Assert.InRange(Sim.Choose(3), 0, 2);
    }
}
