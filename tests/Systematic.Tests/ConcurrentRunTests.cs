namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// Several <see cref="SystematicTest.Run"/> calls at once in one process (what <c>hmc test --parallel</c> does) each
/// give exactly what the same run gives alone: a run's state lives in its own engine, pool, strategy and threads.
/// </summary>
public sealed class ConcurrentRunTests
{
    // Generous: alone, the whole set takes a few seconds on a loaded two-core machine.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private sealed record Job(string Name, Func<Action> Program, TestOptions Options);

    /// <summary>Runs <paramref name="buggy"/> in about one iteration in <paramref name="odds"/> (a controlled choice).</summary>
    private static Action OneIn(int odds, Action buggy, Action clean) => () => (Sim.Choose(odds) == 0 ? buggy : clean)();

    /// <summary>Threads that each increment a counter under one lock: one interleaving per order of the critical sections.</summary>
    private static Action LockedCounters(int threads, int increments) => () =>
    {
        var counter = new SimVar<int>(0, "counter");
        var l = new SimLock("counter_lock");
        var all = Enumerable.Range(0, threads).Select(i => Sim.Start($"inc-{i}", () =>
        {
            for (var k = 0; k < increments; k++)
            {
                l.Enter();
                counter.Write(counter.Read() + 1);
                l.Exit();
            }
        })).ToList();
        foreach (var t in all) t.Join();
        Sim.Assert(counter.Peek == threads * increments, "lost update");
    };

    // Three runs that find their bug only after many clean iterations (so they overlap the others for most of their
    // time) and three that stay clean, one of them exhausting its space.
    private static readonly Job[] Jobs =
    [
        new("lost update", () => OneIn(3000, TextbookPrograms.Counter(locked: false), TextbookPrograms.Counter(locked: true)),
            new TestOptions { Strategy = "random", Iterations = 200_000, Seed = 3 }),
        new("lost wakeup", () => OneIn(3000, TextbookPrograms.LostWakeup(fixedVersion: false), TextbookPrograms.LostWakeup(fixedVersion: true)),
            new TestOptions { Strategy = "pct", Iterations = 200_000, Seed = 5 }),
        new("lock order", () => OneIn(3000, TextbookPrograms.LockOrder(fixedVersion: false), TextbookPrograms.LockOrder(fixedVersion: true)),
            new TestOptions { Strategy = "pos", Iterations = 200_000, Seed = 8 }),
        new("atomicity, fixed", () => TextbookPrograms.AtomicityViolation(fixedVersion: true), new TestOptions { Strategy = "random", Iterations = 30_000, Seed = 13 }),
        new("lock order, fixed", () => TextbookPrograms.LockOrder(fixedVersion: true), new TestOptions { Strategy = "pct", Iterations = 30_000, Seed = 21 }),
        new("locked counters, dpor", () => LockedCounters(threads: 4, increments: 2), new TestOptions { Strategy = "dpor", Iterations = 30_000 }),
    ];

    [Fact]
    public void Runs_at_once_each_report_what_the_same_run_reports_alone()
    {
        var alone = Jobs.Select(j => SystematicTest.Run(j.Program(), j.Options)).ToArray();
        Assert.Equal(3, alone.Count(r => r.Bug is not null));   // the set mixes buggy and clean runs
        Assert.Contains(alone, r => r.StopReason == StopReason.Exhausted);

        var results = new TestReport?[Jobs.Length];
        var errors = new Exception?[Jobs.Length];
        using var go = new ManualResetEventSlim();
        var threads = Jobs.Select((job, i) => new Thread(() =>
        {
            try
            {
                if (!go.Wait(Patience)) throw new TimeoutException("the start signal never came");
                results[i] = SystematicTest.Run(job.Program(), job.Options);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        }) { IsBackground = true, Name = job.Name }).ToArray();
        foreach (var t in threads) t.Start();
        go.Set();
        for (var i = 0; i < threads.Length; i++)
            Assert.True(threads[i].Join(Patience), $"{Jobs[i].Name}: did not finish within {Patience.TotalMinutes} minutes");

        for (var i = 0; i < Jobs.Length; i++)
        {
            var name = Jobs[i].Name;
            Assert.True(errors[i] is null, $"{name}: threw {errors[i]}");
            var (one, together) = (alone[i], results[i]!);
            Assert.Equal((one.StopReason, one.IterationsRun, one.StepsExplored, one.ThreadSwitches, one.Interleavings, one.StrategySummary),
                (together.StopReason, together.IterationsRun, together.StepsExplored, together.ThreadSwitches, together.Interleavings, together.StrategySummary));
            Assert.Equal(one.Bug?.Kind, together.Bug?.Kind);
            Assert.Equal(one.Bug?.Iteration, together.Bug?.Iteration);
            Assert.Equal(one.Bug?.Message, together.Bug?.Message);
            Assert.Equal(one.Bug?.TraceJson, together.Bug?.TraceJson);
        }
    }
}
