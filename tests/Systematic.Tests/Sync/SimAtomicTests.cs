namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// <see cref="SimAtomic"/>'s semantics under the scheduler, over every schedule of small programs where it matters:
/// each operation's value and the interleaving's text for it; a store releases and a load acquires, so a flag handed
/// over through an atomic orders the plain accesses around it; read-modify-writes do both; a compare-exchange that
/// fails writes and publishes nothing; an atomic that outlives an iteration starts the next one unsynchronised.
/// Natively it is <see cref="Interlocked"/>.
/// </summary>
public sealed class SimAtomicTests
{
    private static TestReport Every(Action body) => SystematicTest.Run(body,
        new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000, DetectDataRaces = true });

    private static void Verified(TestReport report)
    {
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, report.ToString());
    }

    private static void Race(TestReport report) =>
        Assert.True(report.Bug?.Kind == BugKind.DataRace, $"expected a data race, got {report}");

    [Fact]
    public void EachOperation_ReturnsWhatItsNameSays_AndTheInterleavingShowsIt()
    {
        var report = SystematicTest.Run(() =>
        {
            var a = new SimAtomic(5, "a");
            Sim.Assert(a.Load() == 5, "load");
            a.Store(7);
            Sim.Assert(a.Add(3) == 10, "add returns the new value");
            Sim.Assert(a.Add(-4) == 6, "add of a negative delta");
            Sim.Assert(a.Add(0) == 6, "add of nothing");
            Sim.Assert(a.Exchange(9) == 6, "exchange returns the old value");
            Sim.Assert(a.CompareExchange(11, 9) == 9, "a successful compare-exchange returns the old value");
            Sim.Assert(a.CompareExchange(13, 9) == 11, "a failed compare-exchange returns the current value");
            Sim.Assert(a.Peek == 11, $"a failed compare-exchange wrote: {a.Peek}");
            Sim.Assert(a.CompareExchange(-2, -1) == 11, "a negative comparand");
            Sim.Assert(false, "stop here to read the interleaving");
        }, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Equal(BugKind.AssertionFailure, report.Bug?.Kind);
        Assert.Equal("stop here to read the interleaving", report.Bug!.Message);
        var ops = report.Bug.Steps.Where(s => s.Target == "atomic 'a'").Select(s => s.Operation).ToArray();
        Assert.Equal(["Load = 5", "Store(7)", "Add(+3) = 10", "Add(-4) = 6", "Add(+0) = 6", "Exchange(9) was 6",
            "CompareExchange(value 11, comparand 9) was 9", "CompareExchange(value 13, comparand 9) was 11",
            "CompareExchange(value -2, comparand -1) was 11"], ops);
    }

    /// <summary>
    /// Message passing: data written before <paramref name="publish"/> sets the flag is ordered before a read after
    /// <paramref name="observe"/> saw it, in every schedule.
    /// </summary>
    private static void HandsOver(Func<SimAtomic, int> publish, Func<SimAtomic, int> observe) => Verified(Every(() =>
    {
        var data = new SimVar<int>(0, "data");
        var flag = new SimAtomic(0, "flag");
        var t = Sim.Start("producer", () =>
        {
            data.Write(42);
            _ = publish(flag);
        });
        if (observe(flag) == 1) Sim.Assert(data.Read() == 42, "the consumer saw the flag but not the data");
        t.Join();
    }));

    private static Func<SimAtomic, int> ReadModifyWrite(string operation, bool publishing) => operation switch
    {
        "add" => f => f.Add(publishing ? 1 : 0),
        "exchange" => f => f.Exchange(1),
        _ => f => f.CompareExchange(1, publishing ? 0 : 1),
    };

    [Fact]
    public void AStoreThenALoadThatSeesIt_OrdersThePlainAccesses() => HandsOver(f =>
    {
        f.Store(1);
        return 1;
    }, f => f.Load());

    /// <summary>The same hand-over through each read-modify-write: each one releases like a store.</summary>
    [Theory]
    [InlineData("add")]
    [InlineData("exchange")]
    [InlineData("compare-exchange")]
    public void AReadModifyWrite_ReleasesLikeAStore(string operation) =>
        HandsOver(ReadModifyWrite(operation, publishing: true), f => f.Load());

    /// <summary>Each read-modify-write acquires too: the consumer side may be any of them.</summary>
    [Theory]
    [InlineData("add")]
    [InlineData("exchange")]
    [InlineData("compare-exchange")]
    public void AReadModifyWrite_AcquiresLikeALoad(string operation) => HandsOver(f =>
    {
        f.Store(1);
        return 1;
    }, ReadModifyWrite(operation, publishing: false));

    /// <summary>Without the edge (the flag is a plain variable read without a scheduling point) the same program races.</summary>
    [Fact]
    public void WithoutTheAtomic_TheHandOverRaces()
    {
        Race(Every(() =>
        {
            var data = new SimVar<int>(0, "data");
            var flag = false;
            var t = Sim.Start("producer", () =>
            {
                data.Write(42);
                flag = true;
            });
            Sim.WaitUntil(() => flag, "the flag is set");
            _ = data.Read();
            t.Join();
        }));
    }

    /// <summary>A compare-exchange that fails does not write, so it publishes nothing a later load could acquire.</summary>
    [Fact]
    public void AFailedCompareExchange_PublishesNothing()
    {
        Race(Every(() =>
        {
            var data = new SimVar<int>(0, "data");
            var flag = new SimAtomic(0, "flag");
            var tried = false;
            var t = Sim.Start("producer", () =>
            {
                data.Write(42);
                _ = flag.CompareExchange(1, 5);
                tried = true;
            });
            Sim.WaitUntil(() => tried, "the compare-exchange failed");
            _ = flag.Load();
            _ = data.Read();
            t.Join();
        }));
    }

    /// <summary>
    /// An atomic built once and explored many times: in the first iteration the producer stores to it, in the second it
    /// does not, and the consumer's load there must not acquire the first iteration's store.
    /// </summary>
    [Fact]
    public void AnAtomicThatOutlivesAnIteration_StartsTheNextUnsynchronised()
    {
        var flag = new SimAtomic(0, "flag");
        var iteration = 0;
        var report = SystematicTest.Run(() =>
        {
            var store = ++iteration == 1;
            var data = new SimVar<int>(0, "data");
            var done = false;
            var t = Sim.Start("producer", () =>
            {
                data.Write(42);
                if (store) flag.Store(1);
                done = true;
            });
            Sim.WaitUntil(() => done, "the producer is done");
            _ = flag.Load();
            _ = data.Read();
            t.Join();
        }, new TestOptions { Strategy = "random", Seed = 1, Iterations = 2, DetectDataRaces = true });
        Race(report);
        Assert.Equal(2, report.Bug!.Iteration);
    }

    [Fact]
    public void Natively_EachOperationIsInterlocked()
    {
        var a = new SimAtomic(5, "a");
        Assert.Equal(5, a.Load());
        a.Store(7);
        Assert.Equal(10, a.Add(3));
        Assert.Equal(10, a.Exchange(9));
        Assert.Equal(9, a.CompareExchange(11, 9));
        Assert.Equal(11, a.CompareExchange(13, 9));
        Assert.Equal(11, a.Peek);
        Assert.Equal("atomic 'a'", a.ToString());
        Assert.Equal("atomic#?", new SimAtomic().ToString());
    }

    [Fact]
    public void Natively_AddIsAtomicAcrossRealThreads()
    {
        var a = new SimAtomic();
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 10_000; i++) a.Add(1);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(30)), "an adder did not finish within 30 s");
        Assert.Equal(40_000, a.Load());
    }

    /// <summary>A load acquires every earlier store to the atomic, not only the last: stores are joined, not replaced.</summary>
    [Fact]
    public void ALoad_AcquiresEveryEarlierStore_NotOnlyTheLast()
    {
        Verified(Every(() =>
        {
            var data = new SimVar<int>(0, "data");
            var flag = new SimAtomic(0, "flag");
            var first = false;
            var second = false;
            var a = Sim.Start("first", () =>
            {
                data.Write(42);
                flag.Store(1);
                first = true;
            });
            var b = Sim.Start("second", () =>
            {
                Sim.WaitUntil(() => first, "the first store");
                flag.Store(2);
                second = true;
            });
            Sim.WaitUntil(() => second, "the second store");
            if (flag.Load() == 2) Sim.Assert(data.Read() == 42, "the first store's data");
            a.Join();
            b.Join();
        }));
    }
}
