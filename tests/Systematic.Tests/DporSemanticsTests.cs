namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// DPOR on two-thread programs (main and one child) whose races are all on one variable or one lock, run through
/// the engine (so with its Start, Spawn and Join steps): reversing such a race changes the order of that one
/// object's accesses, so every schedule DPOR asks for is a new Mazurkiewicz trace — it runs exactly the traces
/// counted by hand below, none twice and none sleep-set-blocked — and it reaches every final state full DFS reaches.
/// </summary>
public sealed class DporSemanticsTests
{
    // Derivations (main's Spawn and the child's Start are independent of everything; the Join follows all the
    // child's steps; a trace is fixed by the order of each dependent pair):
    // write-read: the child's load and main's store of x, either order: 2. read-read: two loads commute: 1.
    // write-write: two stores, either order: 2. var-write-read: as write-read on a SimVar: 2.
    // three-by-one: the child adds three times, main once; main's add goes in one of 4 places: 4.
    // two-sections: main's and the child's critical sections of one lock, either first: 2.
    // try-lock: the child's TryEnter before main's section (it wins, then main waits), inside it (it fails), or
    //   after it (it wins): 3.
    // two-locks: disjoint locks: 1.
    // custom-points: a custom point is dependent with every step of the other thread, so main's point goes before
    //   the child's Start, between it and the child's point, or after both: 3.
    // custom-and-load: main's load against the child's custom point (its Start is independent of a load): 2.
    // yields: yields commute with everything; the two stores of x: 2.
    // wait-until: main waits until the child has stored x, so the one dependent pair has one possible order: 1.
    // choice-spawns: value 1 spawns a child that stores x with nothing to race (1); value 0 loads x, spawns a
    //   child that stores x, loads again: the store goes before or after the second load (the first precedes the
    //   spawn): 2; 3 in all.
    // signal, broadcast: the consumer's section (wait for the flag) before or after the producer's: 2.
    public static TheoryData<string, int> Programs => new()
    {
        { "write-read", 2 },
        { "read-read", 1 },
        { "write-write", 2 },
        { "var-write-read", 2 },
        { "three-by-one", 4 },
        { "two-sections", 2 },
        { "try-lock", 3 },
        { "two-locks", 1 },
        { "custom-points", 3 },
        { "custom-and-load", 2 },
        { "yields", 2 },
        { "wait-until", 1 },
        { "choice-spawns", 3 },
        { "signal", 2 },
        { "broadcast", 2 },
    };

    /// <summary>Each program returns a description of its final state.</summary>
    private static Func<string> Program(string name) => name switch
    {
        "write-read" => () =>
        {
            var x = new SimAtomic(0, "x");
            var seen = 0L;
            var c = Sim.Start("c", () => seen = x.Load());
            x.Store(1);
            c.Join();
            return $"{seen}";
        },
        "read-read" => () =>
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => x.Load());
            x.Load();
            c.Join();
            return "";
        },
        "write-write" => () =>
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => x.Store(2));
            x.Store(1);
            c.Join();
            return $"{x.Peek}";
        },
        "var-write-read" => () =>
        {
            var x = new SimVar<int>(0, "x");
            var seen = 0;
            var c = Sim.Start("c", () => seen = x.Read());
            x.Write(1);
            c.Join();
            return $"{seen}";
        },
        "three-by-one" => () =>
        {
            var x = new SimAtomic(0, "x");
            var seen = 0L;
            var c = Sim.Start("c", () => { x.Add(1); x.Add(1); x.Add(1); });
            seen = x.Add(10);
            c.Join();
            return $"{seen}";
        },
        "two-sections" => () =>
        {
            var l = new SimLock("l");
            var order = new List<string>();
            var c = Sim.Start("c", () => { l.Enter(); order.Add("c"); l.Exit(); });
            l.Enter();
            order.Add("m");
            l.Exit();
            c.Join();
            return string.Join("", order);
        },
        "try-lock" => () =>
        {
            var l = new SimLock("l");
            var won = false;
            var c = Sim.Start("c", () => { if (won = l.TryEnter()) l.Exit(); });
            l.Enter();
            var before = won;
            l.Exit();
            c.Join();
            return $"{won}{before}";
        },
        "two-locks" => () =>
        {
            var (l, m) = (new SimLock("l"), new SimLock("m"));
            var c = Sim.Start("c", () => { l.Enter(); l.Exit(); });
            m.Enter();
            m.Exit();
            c.Join();
            return "";
        },
        "custom-points" => () =>
        {
            var c = Sim.Start("c", () => Sim.SchedulingPoint("a"));
            Sim.SchedulingPoint("b");
            c.Join();
            return "";
        },
        "custom-and-load" => () =>
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => Sim.SchedulingPoint("a"));
            x.Load();
            c.Join();
            return "";
        },
        "yields" => () =>
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => { Sim.Yield(); x.Store(1); });
            Sim.Yield();
            x.Store(2);
            c.Join();
            return $"{x.Peek}";
        },
        "wait-until" => () =>
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => x.Store(1));
            Sim.WaitUntil(() => x.Peek == 1, "x set");
            c.Join();
            return "";
        },
        "choice-spawns" => () =>
        {
            var x = new SimAtomic(0, "x");
            if (Sim.Choose(2) == 1)
            {
                Sim.Start("c", () => x.Store(1)).Join();
                return "1";
            }
            var first = x.Load();
            var d = Sim.Start("d", () => x.Store(1));
            var second = x.Load();
            d.Join();
            return $"0:{first}{second}";
        },
        "signal" => Handshake(broadcast: false),
        "broadcast" => Handshake(broadcast: true),
        _ => throw new ArgumentException(name),
    };

    private static Func<string> Handshake(bool broadcast) => () =>
    {
        var l = new SimLock("l");
        var ready = new SimCondition(l, "ready");
        var flag = new SimVar<bool>(false, "flag");
        var waited = false;
        var c = Sim.Start("c", () =>
        {
            l.Enter();
            while (!flag.Read())
            {
                waited = true;
                ready.Wait();
            }
            l.Exit();
        });
        l.Enter();
        flag.Write(true);
        if (broadcast) ready.Broadcast();
        else ready.Signal();
        l.Exit();
        c.Join();
        return $"{waited}";
    };

    private static (HashSet<string> Outcomes, TestReport Report) Explore(string strategy, string program)
    {
        var outcomes = new HashSet<string>();
        var body = Program(program);
        var report = SystematicTest.Run(() => outcomes.Add(body()),
            new TestOptions { Strategy = strategy, PreemptionBound = null, Iterations = 10_000, DetectDataRaces = false });
        Assert.True(report.Bug is null, $"{report.Bug}");
        Assert.True(report.Exhausted);
        return (outcomes, report);
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void RunsEachTraceOnce_AndReachesEveryOutcomeOfDfs(string program, int traces)
    {
        var (dpor, dporReport) = Explore("dpor", program);
        var (dfs, _) = Explore("dfs", program);
        Assert.Equal(StopReason.Exhausted, dporReport.StopReason);
        Assert.Equal(traces, dporReport.Interleavings);
        Assert.Equal(traces, dporReport.IterationsRun);
        Assert.Equal(dfs.Order(), dpor.Order());
        Assert.Equal($"{traces} distinct interleavings (Mazurkiewicz traces), 0 sleep-set-blocked schedules; every trace explored",
            dporReport.StrategySummary);
    }

    [Fact]
    public void AnIterationLimit_StopsTheSearchWithoutClaimingCoverage()
    {
        static void Body()
        {
            var x = new SimAtomic(0, "x");
            var c = Sim.Start("c", () => { x.Add(1); x.Add(1); });
            x.Add(10);
            c.Join();
        }
        var report = SystematicTest.Run(Body, new TestOptions { Strategy = "dpor", Iterations = 2 });
        Assert.Null(report.Bug);
        Assert.False(report.Exhausted);
        Assert.Equal(2, report.IterationsRun);
        Assert.Equal(2, report.Interleavings);
        Assert.Equal("2 distinct interleavings (Mazurkiewicz traces), 0 sleep-set-blocked schedules", report.StrategySummary);
    }
}
