using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Tests.Control;

/// <summary>
/// The vector clock and the happens-before helper on their own: join is a component-wise maximum (an acquire),
/// copy replaces every component (a lock's release), a clock grows to any thread id, and <see cref="Causality"/>'s
/// edges — spawn, join, publish then observe — order what they should and nothing after them.
/// </summary>
public sealed class VectorClockTests
{
    private static VectorClock Of(params int[] components)
    {
        var c = new VectorClock(1);
        for (var i = 0; i < components.Length; i++) c.Set(i, components[i]);
        return c;
    }

    private static int[] Components(VectorClock c, int n) => Enumerable.Range(0, n).Select(i => c[i]).ToArray();

    [Fact]
    public void Join_IsTheComponentWiseMaximum_AndGrowsToTheLongerClock()
    {
        var a = Of(3, 0, 5);
        a.Join(Of(1, 4, 2, 0, 0, 6));
        Assert.Equal([3, 4, 5, 0, 0, 6], Components(a, 6));
    }

    [Fact]
    public void CopyFrom_ReplacesEveryComponent_IncludingThoseBeyondTheSource()
    {
        var a = Of(9, 9, 9, 9, 9);
        a.CopyFrom(Of(1, 2));
        Assert.Equal([1, 2, 0, 0, 0], Components(a, 5));
        var b = Of(1);
        b.CopyFrom(Of(0, 0, 0, 7));
        Assert.Equal([0, 0, 0, 7], Components(b, 4));
    }

    [Fact]
    public void AComponentBeyondTheClock_IsZero_AndIncrementGrowsItFromThere()
    {
        var a = new VectorClock(2);
        Assert.Equal(0, a[2]);
        Assert.Equal(0, a[40]);
        a.Increment(40);
        a.Increment(40);
        Assert.Equal(2, a[40]);
        a.Increment(3);
        Assert.Equal(1, a[3]);
        Assert.Equal(0, a[39]);
    }

    [Fact]
    public void Clone_IsIndependent_AndClearZeroesAll()
    {
        var a = Of(1, 2, 3);
        var b = a.Clone();
        a.Increment(0);
        Assert.Equal([1, 2, 3], Components(b, 3));
        a.Clear();
        Assert.Equal([0, 0, 0], Components(a, 3));
    }

    [Fact]
    public void ANewThread_StartsAtOneInItsOwnComponent_AndAChildSeesItsParentsPast()
    {
        var c = new Causality();
        c.Reset(active: true);
        c.OnThreadCreated(0);
        c.ClockOf(0).Increment(0);                    // the parent did something: epoch 2
        c.OnThreadCreated(1, parent: 0);
        Assert.Equal([2, 1], Components(c.ClockOf(1), 2));
        Assert.Equal(3, c.ClockOf(0)[0]);              // the parent moved on: its later steps are not the child's past
    }

    [Fact]
    public void Inactive_EveryEdgeIsANoOp_ButThreadsStillHaveTheirOwnEpoch()
    {
        var c = new Causality();
        c.Reset(active: false);
        c.OnThreadCreated(0);
        c.OnThreadCreated(1, parent: 0);
        Assert.Equal([0, 1], Components(c.ClockOf(1), 2));
        Assert.Equal(1, c.ClockOf(0)[0]);
        VectorClock? published = null;
        c.Publish(0, ref published, replace: false);
        Assert.Null(published);
        c.Observe(1, Of(5, 5));
        c.OnJoined(1, 0);
        Assert.Equal([0, 1], Components(c.ClockOf(1), 2));
    }

    [Fact]
    public void PublishThenObserve_OrdersThePublishersPast_NotItsFuture()
    {
        var c = new Causality();
        c.Reset(active: true);
        c.OnThreadCreated(0);
        c.OnThreadCreated(1);
        VectorClock? into = null;
        c.Publish(0, ref into, replace: true);
        Assert.NotNull(into);
        Assert.Equal(1, into![0]);
        Assert.Equal(2, c.ClockOf(0)[0]);
        c.Observe(1, into);
        Assert.Equal([1, 1], Components(c.ClockOf(1), 2));
        c.Observe(1, null);                          // nothing published yet: nothing to learn
        Assert.Equal([1, 1], Components(c.ClockOf(1), 2));
    }

    [Fact]
    public void PublishJoining_KeepsEarlierPublishers_PublishReplacing_KeepsOnlyTheLast()
    {
        var c = new Causality();
        c.Reset(active: true);
        c.OnThreadCreated(0);
        c.OnThreadCreated(1);
        VectorClock? joined = null;
        c.Publish(0, ref joined, replace: false);
        c.Publish(1, ref joined, replace: false);
        Assert.Equal([1, 1], Components(joined!, 2));
        VectorClock? replaced = null;
        c.Publish(0, ref replaced, replace: true);
        c.Publish(1, ref replaced, replace: true);
        Assert.Equal([0, 2], Components(replaced!, 2));
    }

    [Fact]
    public void Join_GivesTheJoinerTheJoinedThreadsPast()
    {
        var c = new Causality();
        c.Reset(active: true);
        c.OnThreadCreated(0);
        c.OnThreadCreated(1, parent: 0);
        c.ClockOf(1).Increment(1);
        c.OnJoined(0, 1);
        Assert.Equal([2, 2], Components(c.ClockOf(0), 2));
    }

    [Fact]
    public void Reset_ForgetsTheLastIterationsClocks()
    {
        var c = new Causality();
        c.Reset(active: true);
        c.OnThreadCreated(0);
        c.OnThreadCreated(1, parent: 0);
        c.ClockOf(1).Increment(1);
        c.Reset(active: true);
        Assert.Equal([0, 0], Components(c.ClockOf(0), 2));
        Assert.Equal([0, 0], Components(c.ClockOf(1), 2));
        c.OnThreadCreated(0);
        Assert.Equal([1, 0], Components(c.ClockOf(0), 2));
    }
}
