using System.Text;
using HighMemConcurrency.Systematic.Control;
using HighMemConcurrency.Systematic.Strategies;

namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// The DPOR strategy driven directly on abstract programs (each thread a fixed list of operations; a LockEnter is
/// enabled only while its lock is free), so that every schedule it asks for can be checked against a hand run of
/// source-DPOR with sleep sets (Abdulla et al., POPL 2014, Algorithm 1) under the strategy's conventions: a new
/// decision goes to the current thread while it can go on, else to the next thread id after it, skipping sleeping
/// threads; after a schedule, each race e ⋖ e′ adds an initial of notdep(e).e′ to the backtrack set before e unless
/// one is there (a blocked acquire's race is taken back to the releaser's own acquire); the search backtracks to the
/// deepest node with an awake unexplored backtrack thread, lowest id first.
/// A schedule is written as the thread ids that ran, in order.
/// </summary>
public sealed class DporBacktrackingTests
{
    private sealed class Obj(string name) : ISimObject
    {
        public string Describe() => name;
    }

    private static PendingOperation Write(Obj o) => new(OperationKind.AtomicStore, o, 0);
    private static PendingOperation Read(Obj o) => new(OperationKind.AtomicLoad, o, 0);
    private static PendingOperation Enter(Obj l) => new(OperationKind.LockEnter, l, 0);
    private static PendingOperation Exit(Obj l) => new(OperationKind.LockExit, l, 0);
    private static PendingOperation Spawn(int child) => new(OperationKind.Spawn, null, child);

    private sealed class Program(PendingOperation[][] threads) : IPendingOperations
    {
        private readonly int[] _next = new int[threads.Length];
        private readonly Dictionary<object, int> _owner = [];
        private readonly HashSet<int> _unborn = threads.SelectMany(ops => ops).Where(op => op.Kind == OperationKind.Spawn).Select(op => (int)op.Arg).ToHashSet();

        /// <summary>Told of each thread a Spawn creates, as the engine tells the strategy.</summary>
        public Action<int> Created { get; init; } = _ => { };

        public PendingOperation Pending(int threadId) => threads[threadId][_next[threadId]];

        public int[] Enabled() => Enumerable.Range(0, threads.Length)
            .Where(t => _next[t] < threads[t].Length && !_unborn.Contains(t) &&
                        !(Pending(t).Kind == OperationKind.LockEnter && _owner.ContainsKey(Pending(t).Target!)))
            .ToArray();

        public void Run(int t)
        {
            var op = Pending(t);
            if (op.Kind == OperationKind.LockEnter) _owner[op.Target!] = t;
            if (op.Kind == OperationKind.LockExit) _owner.Remove(op.Target!);
            if (op.Kind == OperationKind.Spawn && _unborn.Remove((int)op.Arg)) Created((int)op.Arg);
            _next[t]++;
        }
    }

    /// <summary>Runs the search to exhaustion (or <paramref name="limit"/> schedules) and returns what it ran.</summary>
    private static List<string> Explore(DporStrategy dpor, Func<PendingOperation[][]> program, int limit = 100)
    {
        var schedules = new List<string>();
        for (var iteration = 1; schedules.Count < limit && dpor.InitializeIteration(iteration); iteration++)
        {
            var run = new Program(program()) { Created = dpor.OnThreadCreated };
            dpor.OnExecutionStarted(run);
            var schedule = new StringBuilder();
            var current = 0;
            for (var enabled = run.Enabled(); enabled.Length > 0; enabled = run.Enabled())
            {
                current = dpor.NextThread(enabled, current, enabled.Contains(current), false, schedule.Length + 1);
                Assert.Contains(current, enabled);
                run.Run(current);
                schedule.Append(current);
            }
            dpor.CompleteIteration(schedule.Length);
            schedules.Add(schedule.ToString());
        }
        return schedules;
    }

    private static (List<string> Schedules, DporStrategy Dpor) Explore(Func<PendingOperation[][]> program)
    {
        var dpor = new DporStrategy();
        var schedules = Explore(dpor, program);
        Assert.True(dpor.IsExhausted);
        Assert.False(dpor.InitializeIteration(schedules.Count + 1));
        return (schedules, dpor);
    }

    // 0 ran first: race 0⋖1 puts 1 into the backtrack set at the root, race 1⋖2 puts 2 into it after "0";
    // "021" adds 2 at the root (race 0⋖2 with nothing between); "120" adds 0 after "1"; and so on: every order once.
    [Fact]
    public void ThreeWritersOfOneVariable_RunEachOfTheSixOrdersOnce()
    {
        var x = new Obj("x");
        var (schedules, dpor) = Explore(() => [[Write(x)], [Write(x)], [Write(x)]]);
        Assert.Equal(["012", "021", "120", "102", "201", "210"], schedules);
        Assert.Equal(6, dpor.Interleavings);
        Assert.Equal("6 distinct interleavings (Mazurkiewicz traces), 0 sleep-set-blocked schedules; every trace explored", dpor.Summary);
    }

    [Fact]
    public void ThreadsOnDisjointVariables_RunOneSchedule()
    {
        var (x, y, z) = (new Obj("x"), new Obj("y"), new Obj("z"));
        var (schedules, dpor) = Explore(() => [[Write(x), Read(z)], [Write(y), Read(z)], [Read(z)]]);
        Assert.Equal(["00112"], schedules);
        Assert.Equal(1, dpor.Interleavings);
    }

    // T0: x, y; T1: y, x (all writes). Traces by the order of the x pair and the y pair under program order:
    // T1's x before T0's x forces y1 < y0 as well (1 trace); T0's x first leaves the y pair free (2): 3 traces.
    // "0011": race y0⋖y1 adds 1 after "0". "0110": race x0⋖x1 (with y1 between, not after x0) adds 1 at the root.
    // "1100": the root's 0 sleeps after "1" (x0 is independent of y1) until x1 wakes it; its race x1⋖x0 asks for 0
    // after "1", where 0 sleeps: that order is covered, nothing added.
    [Fact]
    public void CrossedWrites_RunTheThreeTraces()
    {
        var (x, y) = (new Obj("x"), new Obj("y"));
        var (schedules, dpor) = Explore(() => [[Write(x), Write(y)], [Write(y), Write(x)]]);
        Assert.Equal(["0011", "0110", "1100"], schedules);
        Assert.Equal(3, dpor.Interleavings);
    }

    // The textbook case where source sets alone leave a sleep-set-blocked schedule. T0: write x; T1: read y,
    // read x; T2: write y. Dependent pairs: (T0's write, T1's read of x) and (T1's read of y, T2's write): 4 traces.
    // "0112" adds 1 at the root (race on x, T1's read of y between) and 2 after "0" (race on y).
    // "0211" adds 2 at the root: for the race on x, notdep = T2's write then T1's read of y, whose only initial is 2
    //   (T1's read of y happens after T2's write, and T1's read of x after its read of y).
    // "1120": T0 sleeps after "1" until T1 reads x; the race (T1's read of x ⋖ T0's write) has v = T2's write, so
    //   the initials are 2 (first in v) and 0 (e′'s thread, not after anything in v); 2 is awake: added after "1".
    // "12…": after "1" then "2", T0 (asleep since the root) and T1 (done after "1", its read of x independent of
    //   T2's write) both sleep: blocked, finished round-robin as "1201" and not counted.
    // "2110": the last trace; its race on x asks for 0 after "211", where 0 sleeps: covered.
    [Fact]
    public void WriteReadReadWrite_RunsFourTracesAndOneSleepSetBlockedSchedule()
    {
        var (x, y) = (new Obj("x"), new Obj("y"));
        var (schedules, dpor) = Explore(() => [[Write(x)], [Read(y), Read(x)], [Write(y)]]);
        Assert.Equal(["0112", "0211", "1120", "1201", "2110"], schedules);
        Assert.Equal(4, dpor.Interleavings);
        Assert.Equal("4 distinct interleavings (Mazurkiewicz traces), 1 sleep-set-blocked schedules; every trace explored", dpor.Summary);
    }

    // T0 and T1 read x, T2 writes it: the reads commute, each is ordered either way against the write: 4 traces.
    // "012": race T1⋖T2 adds 2 after "0"; race T0⋖T2 has v = T1's read, which the write depends on, so the only
    //   initial is 1, added at the root. "021": race T0⋖T2 adds 2 at the root. "120": T0 sleeps after "1" (the reads
    //   commute) until the write; its race then asks for 0 after "1", asleep: covered. "201": nothing new.
    [Fact]
    public void TwoReadersOneWriter_RunTheFourTraces()
    {
        var x = new Obj("x");
        var (schedules, dpor) = Explore(() => [[Read(x)], [Read(x)], [Write(x)]]);
        Assert.Equal(["012", "021", "120", "201"], schedules);
        Assert.Equal(4, dpor.Interleavings);
    }

    // Two critical sections of one lock: 2 traces. In "0011" T1's enter races with T0's exit, which cannot be
    // swapped (T1 is blocked before it); the race is taken back to T0's enter, so 1 is added at the root.
    [Fact]
    public void TwoCriticalSections_RaceIsTakenBackToTheAcquire()
    {
        var l = new Obj("l");
        var (schedules, dpor) = Explore(() => [[Enter(l), Exit(l)], [Enter(l), Exit(l)]]);
        Assert.Equal(["0011", "1100"], schedules);
        Assert.Equal(2, dpor.Interleavings);
    }

    // Three critical sections of one lock: 3! = 6 traces. Each blocked enter's race with the exit before it is
    // taken back to that exit's thread's enter: "001122" adds 1 at the root and 2 after "00"; "002211" adds 2 at
    // the root; "112200" adds 0 after "11"; "220011" adds 1 after "22".
    [Fact]
    public void ThreeCriticalSections_RunEachOrderOnce()
    {
        var l = new Obj("l");
        var (schedules, dpor) = Explore(() => [[Enter(l), Exit(l)], [Enter(l), Exit(l)], [Enter(l), Exit(l)]]);
        Assert.Equal(["001122", "002211", "112200", "110022", "220011", "221100"], schedules);
        Assert.Equal(6, dpor.Interleavings);
    }

    // T0 takes l, writes x, releases; T1 writes x; T2 takes l and releases: the writes in 2 orders times the
    // critical sections in 2 orders: 4 traces. "000122": the race on x adds 1 after "0"; T2's enter races with
    // T0's exit, taken back to T0's enter: 2 at the root. "010022": the lock race has v = T1's write, initials 1 and
    // 2 (T2's enter depends on nothing in v), and 2 is already at the root. "220001": the race on x adds 1 after
    // "220"; "220100" is the fourth trace.
    [Fact]
    public void LockAndVariable_RunTheFourTraces()
    {
        var (l, x) = (new Obj("l"), new Obj("x"));
        var (schedules, dpor) = Explore(() => [[Enter(l), Write(x), Exit(l)], [Write(x)], [Enter(l), Exit(l)]]);
        Assert.Equal(["000122", "010022", "220001", "220100"], schedules);
        Assert.Equal(4, dpor.Interleavings);
    }

    /// <summary>
    /// "0012" leaves 1 to try after "0" (race on x of T0 and T1) and 2 after "00" (T1 and T2); iteration 2 is to
    /// run "002" but stops after its first decision, so the decisions it never reached are dropped and the search
    /// backtracks from the root, where nothing is left.
    /// </summary>
    [Fact]
    public void AnIterationThatStopsShort_BacktracksFromWhereItStopped()
    {
        var (x, y) = (new Obj("x"), new Obj("y"));
        var dpor = new DporStrategy();
        Assert.Equal(["0012"], Explore(dpor, () => [[Write(y), Write(x)], [Write(x)], [Write(x)]], limit: 1));
        Assert.True(dpor.InitializeIteration(2));
        dpor.OnExecutionStarted(new Program([[Write(y), Write(x)], [Write(x)], [Write(x)]]));
        Assert.Equal(0, dpor.NextThread([0, 1, 2], 0, true, false, 1));
        dpor.CompleteIteration(1);
        Assert.True(dpor.IsExhausted);
        Assert.False(dpor.InitializeIteration(3));
        Assert.Equal(2, dpor.Interleavings);
    }

    // T0 writes x and then spawns T1, which writes y and reads x; T2 writes y. The read of x follows the write
    // through the spawn, so only the two writes of y race: 2 traces. "00112": the race on y adds 2 after "00";
    // "00211" is the other order, and T1's read of x still happens after T0's write (through the spawn, though the
    // spawn is replayed this time and T1's write of y now follows T2's): nothing is added at the root.
    [Fact]
    public void ASpawnOrdersTheSpawnersEarlierSteps_BeforeTheChild()
    {
        var (x, y) = (new Obj("x"), new Obj("y"));
        var (schedules, dpor) = Explore(() => [[Write(x), Spawn(1)], [Write(y), Read(x)], [Write(y)]]);
        Assert.Equal(["00112", "00211"], schedules);
        Assert.Equal(2, dpor.Interleavings);
    }

    // As above with no second writer of y: one trace, one schedule — the child's read cannot race with a write
    // its spawner made before spawning it, so no schedule is asked for T2 (which touches nothing shared) first.
    [Fact]
    public void AChildsReadOfItsSpawnersWrite_IsNoRace()
    {
        var (x, y) = (new Obj("x"), new Obj("y"));
        var (schedules, _) = Explore(() => [[Write(x), Spawn(1)], [Read(x)], [Write(y)]]);
        Assert.Equal(["0012"], schedules);
    }

    [Fact]
    public void AnUnfinishedSearch_SaysNothingAboutCoverage()
    {
        var x = new Obj("x");
        var dpor = new DporStrategy();
        Assert.Equal(["012"], Explore(dpor, () => [[Write(x)], [Write(x)], [Write(x)]], limit: 1));
        Assert.False(dpor.IsExhausted);
        Assert.Equal(1, dpor.Interleavings);
        Assert.Equal("1 distinct interleavings (Mazurkiewicz traces), 0 sleep-set-blocked schedules", dpor.Summary);
    }

    /// <summary>A new decision keeps the current thread while it can go on, else takes the next id after it.</summary>
    [Theory]
    [InlineData(3, true, false, 3)]
    [InlineData(3, true, true, 5)]
    [InlineData(3, false, false, 5)]
    [InlineData(4, false, false, 5)]
    [InlineData(5, false, false, 1)]
    [InlineData(5, true, true, 1)]
    [InlineData(0, false, false, 1)]
    public void FirstDecision_IsRoundRobinFromTheRightThread(int current, bool currentEnabled, bool currentYields, int expected)
    {
        var x = new Obj("x");
        var dpor = new DporStrategy();
        dpor.InitializeIteration(1);
        dpor.OnExecutionStarted(new Program([[Write(x)], [Write(x)], [Write(x)], [Write(x)], [Write(x)], [Write(x)]]));
        Assert.Equal(expected, dpor.NextThread([1, 3, 5], current, currentEnabled, currentYields, 1));
    }

    [Fact]
    public void WithoutAView_ItSaysWhatItNeeds()
    {
        var dpor = new DporStrategy();
        dpor.InitializeIteration(1);
        var e = Assert.Throws<InvalidOperationException>(() => dpor.NextThread([0, 1], 0, true, false, 1));
        Assert.Equal("dpor needs the pending operations of the execution", e.Message);
    }

    [Fact]
    public void AReplayThatMeetsADifferentDecision_IsRefusedWithWhatItExpected()
    {
        var x = new Obj("x");
        var view = new Program([[Write(x)], [Write(x)]]);
        var dpor = new DporStrategy();
        dpor.InitializeIteration(1);
        dpor.OnExecutionStarted(view);
        Assert.Equal(0, dpor.NextThread([0, 1], 0, true, false, 1));
        Assert.Equal(0, dpor.NextChoice(2, 2));
        dpor.CompleteIteration(2);

        dpor.InitializeIteration(2);   // replays thread 0, then the choice's next value
        Assert.Contains("did not reach a thread decision", Assert.Throws<NondeterministicTestException>(() => dpor.NextThread([1], 0, false, false, 1)).Message);

        var other = new DporStrategy();
        other.InitializeIteration(1);
        other.OnExecutionStarted(view);
        other.NextThread([0, 1], 0, true, false, 1);
        other.NextChoice(2, 2);
        other.CompleteIteration(2);
        other.InitializeIteration(2);
        other.NextThread([0, 1], 0, true, false, 1);
        Assert.Contains("did not reach a value choice", Assert.Throws<NondeterministicTestException>(() => other.NextChoice(3, 2)).Message);
    }
}
