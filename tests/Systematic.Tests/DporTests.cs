namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// DPOR runs exactly one schedule per Mazurkiewicz trace of textbook programs — counted by hand below from the
/// dependency relation in <c>Dependency</c> (same object with a write; lock operations on one lock; a join and the
/// joined thread; start, spawn and yield independent) — and fewer schedules than unbounded DFS.
/// </summary>
public sealed class DporTests
{
    private static TestReport Dpor(Action body) =>
        SystematicTest.Run(body, new TestOptions { Strategy = "dpor", Iterations = 100_000 });

    private static TestReport FullDfs(Action body) =>
        SystematicTest.Run(body, new TestOptions { Strategy = "dfs", PreemptionBound = null, Iterations = 100_000 });

    /// <summary>Main and a child each add to one atomic twice, then main joins the child.</summary>
    private static void TwoByTwo()
    {
        var x = new SimAtomic(0, "x");
        var child = Sim.Start("child", () =>
        {
            x.Add(1);
            x.Add(1);
        });
        x.Add(10);
        x.Add(10);
        child.Join();
    }

    /// <summary>As <see cref="TwoByTwo"/>, but the child adds to another atomic.</summary>
    private static void TwoByTwoDisjoint()
    {
        var x = new SimAtomic(0, "x");
        var y = new SimAtomic(0, "y");
        var child = Sim.Start("child", () =>
        {
            y.Add(1);
            y.Add(1);
        });
        x.Add(10);
        x.Add(10);
        child.Join();
    }

    /// <summary>Two readers and one writer of one atomic.</summary>
    private static void TwoReadersOneWriter()
    {
        var v = new SimAtomic(0, "v");
        var r1 = Sim.Start("r1", () => v.Load());
        var r2 = Sim.Start("r2", () => v.Load());
        var w = Sim.Start("w", () => v.Store(1));
        r1.Join();
        r2.Join();
        w.Join();
    }

    // Derivations (a trace is fixed by the order of each dependent pair; independent steps commute):
    // TwoByTwo: the four adds write x, so all are pairwise dependent; program order fixes main's two and the
    //   child's two, leaving the interleavings of two 2-sequences: C(4,2) = 6. Starts and the spawn commute with
    //   everything; the join is dependent only with the child's steps, which all precede it. → 6 (DFS: 10).
    // TwoByTwoDisjoint: x and y are different objects; no dependent pair between threads besides the join. → 1.
    // TwoReadersOneWriter: r1–r2 commute; r1–w and r2–w are dependent, each ordered either way: 2 · 2 = 4.
    // Counter(locked): the four lock operations (enter, exit of each thread) share one lock; the critical
    //   sections cannot overlap, so only their order is free: 2. The reads and writes inside are ordered by them.
    // LockOrder(fixed): both take A first, so the A critical sections are ordered one of 2 ways, and B's follow. → 2.
    // AtomicityViolation(fixed): the two compare-exchanges on slot are dependent: 2 orders; the winner's add to
    //   owners has nothing to race with (the loser never adds). → 2.
    public static TheoryData<string, int> Programs => new()
    {
        { "two-by-two", 6 },
        { "two-by-two-disjoint", 1 },
        { "two-readers-one-writer", 4 },
        { "counter-locked", 2 },
        { "lock-order-fixed", 2 },
        { "atomicity-fixed", 2 },
    };

    private static Action Program(string name) => name switch
    {
        "two-by-two" => TwoByTwo,
        "two-by-two-disjoint" => TwoByTwoDisjoint,
        "two-readers-one-writer" => TwoReadersOneWriter,
        "counter-locked" => TextbookPrograms.Counter(locked: true),
        "lock-order-fixed" => TextbookPrograms.LockOrder(fixedVersion: true),
        "atomicity-fixed" => TextbookPrograms.AtomicityViolation(fixedVersion: true),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void ExploresExactlyTheMazurkiewiczTraces_AndFewerSchedulesThanDfs(string program, int traces)
    {
        var dpor = Dpor(Program(program));
        var dfs = FullDfs(Program(program));
        Assert.Null(dpor.Bug);
        Assert.Equal(StopReason.Exhausted, dpor.StopReason);
        Assert.Equal(traces, dpor.Interleavings);
        Assert.True(dfs.Exhausted);
        Assert.True(dpor.IterationsRun < dfs.IterationsRun, $"dpor ran {dpor.IterationsRun} schedules, dfs {dfs.IterationsRun}");
    }

    [Theory]
    [InlineData("counter", BugKind.AssertionFailure)]
    [InlineData("lost-wakeup", BugKind.Deadlock)]
    [InlineData("lock-order", BugKind.Deadlock)]
    [InlineData("atomicity", BugKind.AssertionFailure)]
    public void FindsTheTextbookBugs(string program, BugKind kind)
    {
        var body = program switch
        {
            "counter" => TextbookPrograms.Counter(locked: false),
            "lost-wakeup" => TextbookPrograms.LostWakeup(fixedVersion: false),
            "lock-order" => TextbookPrograms.LockOrder(fixedVersion: false),
            _ => TextbookPrograms.AtomicityViolation(fixedVersion: false),
        };
        var report = SystematicTest.Run(body, new TestOptions { Strategy = "dpor", Iterations = 10_000, DetectDataRaces = false });
        Assert.Equal(kind, report.Bug?.Kind);
        var replay = SystematicTest.Replay(body, report.Bug!.TraceJson);
        Assert.Equal(kind, replay.Bug?.Kind);
    }

    [Fact]
    public void LostWakeupFixed_IsVerified()
    {
        var report = Dpor(TextbookPrograms.LostWakeup(fixedVersion: true));
        Assert.Null(report.Bug);
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.True(report.Interleavings > 0);
    }

    [Fact]
    public void ValueChoices_AreTracesOfTheirOwn()
    {
        var report = Dpor(() => { Sim.Choose(3); Sim.Choose(2); });
        Assert.True(report.Exhausted);
        Assert.Equal(6, report.Interleavings);
    }
}
