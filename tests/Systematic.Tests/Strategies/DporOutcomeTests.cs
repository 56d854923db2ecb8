namespace HighMemConcurrency.Systematic.Tests.Strategies;

/// <summary>
/// DPOR against the ground truth of full DFS, on programs of three or more threads (where happens-before through a
/// third thread matters) built so that each Mazurkiewicz trace has its own observable outcome: every access is an
/// exchange, which returns the value it overwrote, so the outcomes fix the order of every dependent pair. DPOR must
/// reach every outcome DFS reaches (completeness) with exactly one counted schedule per trace (optimality), and
/// account for every schedule it ran as a trace or a sleep-set-blocked one.
/// </summary>
public sealed class DporOutcomeTests
{
    private static (HashSet<string> Outcomes, TestReport Report) Explore(string strategy, Action<List<string>> body)
    {
        var outcomes = new HashSet<string>();
        var report = SystematicTest.Run(() =>
        {
            var seen = new List<string>();
            body(seen);
            outcomes.Add(string.Join(",", seen));
        }, new TestOptions { Strategy = strategy, PreemptionBound = null, Iterations = 200_000, DetectDataRaces = false });
        Assert.True(report.Bug is null, $"{report.Bug}\n{report.Bug?.Interleaving}");
        Assert.True(report.Exhausted, report.ToString());
        return (outcomes, report);
    }

    /// <summary>Runs the threads' bodies as threads of main and joins them; each exchange records what it saw.</summary>
    private static void Threads(List<string> seen, params Action<Action<string>>[] bodies)
    {
        var results = new string[bodies.Length];
        var threads = bodies.Select((b, k) => Sim.Start($"t{k}", () =>
        {
            var mine = new List<string>();
            b(mine.Add);
            results[k] = string.Join("", mine);
        })).ToList();
        foreach (var t in threads) t.Join();
        seen.AddRange(results);
    }

    private static void Swap(Action<string> record, SimAtomic a, int value) => record($"{a.Name}{a.Exchange(value)}");

    public static TheoryData<string> Programs => new() { "three-on-one", "ring", "chain", "locked", "nested-spawn", "readers" };

    private static Action<List<string>> Program(string name) => name switch
    {
        // three threads, one exchange each on x: 3! traces
        "three-on-one" => seen =>
        {
            var x = new SimAtomic(0, "x");
            Threads(seen, r => Swap(r, x, 1), r => Swap(r, x, 2), r => Swap(r, x, 3));
        },
        // T0: x then y; T1: y then z; T2: z then x
        "ring" => seen =>
        {
            var x = new SimAtomic(0, "x");
            var y = new SimAtomic(0, "y");
            var z = new SimAtomic(0, "z");
            Threads(seen,
                r => { Swap(r, x, 1); Swap(r, y, 1); },
                r => { Swap(r, y, 2); Swap(r, z, 2); },
                r => { Swap(r, z, 3); Swap(r, x, 3); });
        },
        // T0 writes x; T1 exchanges x then y; T2 exchanges y: the T0–T2 order is only through T1
        "chain" => seen =>
        {
            var x = new SimAtomic(0, "x");
            var y = new SimAtomic(0, "y");
            var w = new SimAtomic(0, "w");
            Threads(seen,
                r => { Swap(r, x, 1); Swap(r, w, 1); },
                r => { Swap(r, x, 2); Swap(r, y, 2); },
                r => { Swap(r, y, 3); Swap(r, w, 3); });
        },
        // three critical sections of one lock, each revealing its place
        "locked" => seen =>
        {
            var l = new SimLock("l");
            var x = new SimAtomic(0, "x");
            void Critical(Action<string> r, int v)
            {
                l.Enter();
                Swap(r, x, v);
                l.Exit();
            }
            Threads(seen, r => Critical(r, 1), r => Critical(r, 2), r => Critical(r, 3));
        },
        // main starts a, a starts b; all three exchange x
        "nested-spawn" => seen =>
        {
            var x = new SimAtomic(0, "x");
            string? fromB = null;
            Threads(seen, r =>
            {
                var b = Sim.Start("b", () => fromB = $"x{x.Exchange(3)}");
                Swap(r, x, 2);
                b.Join();
            });
            seen.Add($"x{x.Exchange(1)}");
            seen.Add(fromB!);
        },
        // two writers and two readers of v, each reading twice
        "readers" => seen =>
        {
            var v = new SimAtomic(0, "v");
            Threads(seen,
                r => Swap(r, v, 1),
                r => Swap(r, v, 2),
                r => { r($"r{v.Load()}"); r($"r{v.Load()}"); });
        },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public void Dpor_ReachesEveryOutcomeOfFullDfs_WithOneScheduleEach(string program)
    {
        var (dfs, dfsReport) = Explore("dfs", Program(program));
        var (dpor, dporReport) = Explore("dpor", Program(program));
        Assert.Equal(dfs.Order(), dpor.Order());
        Assert.Equal(dfs.Count, dporReport.Interleavings);
        Assert.True(dporReport.IterationsRun < dfsReport.IterationsRun);
        Assert.Equal($"{dfs.Count} distinct interleavings (Mazurkiewicz traces), {dporReport.IterationsRun - dfs.Count} sleep-set-blocked schedules; every trace explored",
            dporReport.StrategySummary);
    }

    [Fact]
    public void Dpor_Name() => Assert.Equal("dpor", new HighMemConcurrency.Systematic.Strategies.DporStrategy().Name);
}
