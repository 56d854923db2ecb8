namespace HighMemConcurrency.Systematic.Tests.Sync;

/// <summary>
/// What <see cref="SimVar{T}"/>'s race detection reports, each over every schedule of a small program (unbounded DFS):
/// two accesses by different threads, one a write, not ordered by happens-before are a race naming both; an edge
/// (lock release → acquire, start, join, atomic store → load) orders them; what a thread does after it published an
/// edge is not ordered by that edge; reads never race with reads; and a variable that outlives an iteration carries
/// none of its accesses into the next. Plain C# flags with <see cref="Sim.WaitUntil"/> order the steps of a program
/// without creating an edge, which is how these tests fix an order and still expect a race.
/// </summary>
public sealed class RaceDetectionTests
{
    private static TestReport Every(Action body) => SystematicTest.Run(body,
        new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000, DetectDataRaces = true });

    private static void Verified(TestReport report)
    {
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, report.ToString());
    }

    private static BugReport Race(TestReport report)
    {
        Assert.True(report.Bug?.Kind == BugKind.DataRace, $"expected a data race, got {report}");
        return report.Bug!;
    }

    [Fact]
    public void AWriteByTheMainThread_RacesWithAnUnorderedWriteOfAChild()
    {
        var bug = Race(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var written = false;
            var t = Sim.Start("child", () =>
            {
                Sim.WaitUntil(() => written, "main wrote");
                x.Write(2);
            });
            x.Write(1);
            written = true;
            t.Join();
        }));
        Assert.Contains("Write by T1 'child'", bug.Message);
        Assert.Contains("the Write by T0 'main'", bug.Message);
    }

    [Theory]
    [InlineData(true, true, "Write", "Write")]
    [InlineData(true, false, "Read", "Write")]
    [InlineData(false, true, "Write", "Read")]
    public void UnorderedAccesses_OneAWrite_AreARaceNamingBoth(bool firstWrites, bool secondWrites, string second, string first)
    {
        var bug = Race(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var done = false;
            var t = Sim.Start("first", () =>
            {
                if (firstWrites) x.Write(1);
                else _ = x.Read();
                done = true;
            });
            Sim.WaitUntil(() => done, "first accessed x");
            if (secondWrites) x.Write(2);
            else _ = x.Read();
            t.Join();
        }));
        Assert.Matches($"^data race on var 'x': {second} by T0 'main' at step \\d+ is not ordered by happens-before with " +
            $"the {first} by T1 'first' at step \\d+$", bug.Message);
    }

    [Fact]
    public void ConcurrentReads_AreNotARace()
    {
        Verified(Every(() =>
        {
            var x = new SimVar<int>(7, "x");
            var t = Sim.Start("reader", () => _ = x.Read());
            _ = x.Read();
            t.Join();
        }));
    }

    [Fact]
    public void AccessesOfOneThread_NeverRace()
    {
        Verified(Every(() =>
        {
            var t = Sim.Start("owner", () =>
            {
                var x = new SimVar<int>(0, "x");
                x.Write(x.Read() + 1);
                _ = x.Read();
                x.Write(3);
            });
            t.Join();
        }));
    }

    [Fact]
    public void ALock_OrdersTheAccessesItProtects_InEverySchedule()
    {
        Verified(Every(() =>
        {
            var l = new SimLock("l");
            var x = new SimVar<int>(0, "x");
            void Increment()
            {
                l.Enter();
                x.Write(x.Read() + 1);
                l.Exit();
            }
            var t = Sim.Start("other", Increment);
            Increment();
            t.Join();
            Sim.Assert(x.Read() == 2, $"x = {x.Peek}");
        }));
    }

    /// <summary>
    /// The releaser's clock moves on after it publishes: a write after the release is not covered by it, so an
    /// acquirer that then reads races with that write (a release that did not advance the clock would hide it).
    /// </summary>
    [Fact]
    public void AWriteAfterTheRelease_IsNotOrderedByIt()
    {
        var bug = Race(Every(() =>
        {
            var l = new SimLock("l");
            var x = new SimVar<int>(0, "x");
            var written = false;
            var t = Sim.Start("writer", () =>
            {
                l.Enter();
                l.Exit();
                x.Write(1);
                written = true;
            });
            Sim.WaitUntil(() => written, "the write after the release");
            l.Enter();
            _ = x.Read();
            l.Exit();
            t.Join();
        }));
        Assert.Contains("Read by T0 'main'", bug.Message);
        Assert.Contains("the Write by T1 'writer'", bug.Message);
    }

    [Fact]
    public void Start_OrdersTheParentsEarlierWrites_BeforeTheChild()
    {
        Verified(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            x.Write(1);
            var t = Sim.Start("child", () => Sim.Assert(x.Read() == 1, "the child saw the write before its start"));
            t.Join();
        }));
    }

    /// <summary>The parent's clock moves on at the start: what it writes afterwards races with the child.</summary>
    [Fact]
    public void AWriteAfterStart_RacesWithTheChild()
    {
        var bug = Race(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var written = false;
            var t = Sim.Start("child", () =>
            {
                Sim.WaitUntil(() => written, "the parent wrote");
                _ = x.Read();
            });
            x.Write(1);
            written = true;
            t.Join();
        }));
        Assert.Contains("Read by T1 'child'", bug.Message);
        Assert.Contains("the Write by T0 'main'", bug.Message);
    }

    [Fact]
    public void Join_OrdersTheJoinedThreadsWrites_BeforeTheJoiner()
    {
        Verified(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var t = Sim.Start("child", () => x.Write(1));
            t.Join();
            Sim.Assert(x.Read() == 1, "the joiner saw the child's write");
        }));
    }

    [Fact]
    public void WithoutJoin_TheChildsWriteRacesWithTheParentsRead()
    {
        var bug = Race(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var done = false;
            var t = Sim.Start("child", () =>
            {
                x.Write(1);
                done = true;
            });
            Sim.WaitUntil(() => done, "the child wrote");
            _ = x.Read();
            t.Join();
        }));
        Assert.Contains("Read by T0 'main'", bug.Message);
    }

    /// <summary>
    /// A write checks every earlier read since the last write, whichever thread made it, including threads beyond the
    /// variable's initial bookkeeping (ids above 3).
    /// </summary>
    [Fact]
    public void AWrite_RacesWithAnUnorderedReadOfAnyThread()
    {
        var bug = Race(Every(() =>
        {
            var x = new SimVar<int>(0, "x");
            var threads = new List<SimThread>();
            var reads = 0;
            for (var i = 1; i <= 9; i++)
            {
                var reader = i == 9;
                threads.Add(Sim.Start($"t{i}", () =>
                {
                    if (reader) _ = x.Read();
                    reads++;
                }));
            }
            Sim.WaitUntil(() => reads == 9, "every thread ran");
            x.Write(1);
            foreach (var t in threads) t.Join();
        }));
        Assert.Contains("Write by T0 'main'", bug.Message);
        Assert.Contains("the Read by T9 't9'", bug.Message);
    }

    /// <summary>
    /// A variable built once and explored many times: the accesses of one iteration are not in the next (there, the
    /// child's read and write of the last iteration would race with main's first read and write).
    /// </summary>
    [Fact]
    public void AVariableThatOutlivesAnIteration_CarriesNoAccessIntoTheNext()
    {
        var x = new SimVar<int>(0, "x");
        var report = SystematicTest.Run(() =>
        {
            x.Write(x.Read() + 1);
            var t = Sim.Start("child", () => x.Write(x.Read() + 1));
            t.Join();
        }, new TestOptions { Strategy = "random", Iterations = 5, Seed = 1, DetectDataRaces = true });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(5, report.IterationsRun);
    }

    [Fact]
    public void WithRaceDetectionOff_NoRaceIsReported()
    {
        var report = SystematicTest.Run(() =>
        {
            var x = new SimVar<int>(0, "x");
            var t = Sim.Start("writer", () => x.Write(1));
            x.Write(2);
            t.Join();
        }, new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000, DetectDataRaces = false });
        Verified(report);
    }

    [Fact]
    public void Natively_AVarIsAPlainField()
    {
        var x = new SimVar<string>("a", "x");
        x.Write("b");
        Assert.Equal("b", x.Read());
        Assert.Equal("b", x.Peek);
        Assert.Equal("var 'x'", x.ToString());
        Assert.Equal("var#?", new SimVar<int>().ToString());
    }

    /// <summary>
    /// Unnamed objects read the same in every process: numbered in creation order within the iteration, or, for one
    /// built outside it, when the iteration first touches it — with race detection on or off.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnnamedObjects_AreNumberedByCreationOrFirstTouch(bool races)
    {
        var outside = new SimAtomic();
        var outsideVar = new SimVar<int>();
        var report = SystematicTest.Run(() =>
        {
            var v = new SimVar<int>();
            var a = new SimAtomic();
            v.Write(1);
            a.Store(1);
            outside.Store(1);
            outsideVar.Write(1);
            Sim.Assert(false, "stop");
        }, new TestOptions { Strategy = "dfs", Iterations = 1, DetectDataRaces = races });
        Assert.Equal(["var#1", "atomic#2", "atomic#3", "var#4"],
            report.Bug!.Steps.Where(s => s.Operation is "Write" or "Store(1)").Select(s => s.Target));
    }
}
