using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// Programs in the shape of the cases schedulers find hard, for <see cref="StrategyMeasure"/>: a bug among many
/// threads, a bug that needs three ordering constraints at once, and a bug behind a long spin.
/// </summary>
public static class HardCases
{
    /// <summary>
    /// 50 threads; the first one spawned fails if it runs its check after the last one spawned stored its flag. The
    /// other 48 do two steps of unrelated work. Random runs the first thread's check long before the last is spawned;
    /// the bug needs the first to be held back behind everyone (PCT: it must get the lowest priority, about 1/n).
    /// </summary>
    public static void ManyThreads()
    {
        const int n = 50;
        var flag = new SimAtomic(0, "flag");
        var threads = new List<SimThread>
        {
            Sim.Start("first", () => Sim.Assert(flag.Load() == 0, "the last thread ran before the first one checked")),
        };
        for (var i = 1; i < n - 1; i++)
        {
            var own = new SimAtomic(0, $"own{i}");
            threads.Add(Sim.Start($"worker{i}", () => { own.Add(1); own.Add(1); }));
        }
        threads.Add(Sim.Start("last", () => flag.Store(1)));
        foreach (var t in threads) t.Join();
    }

    /// <summary>
    /// A relay of four threads spawned in reverse order: each passes the baton on only if it already holds it, and
    /// the last fails when the baton arrives. Three orders must all hold (1 before 2's look, 2 before 3's, 3 before
    /// 4's), against the spawn order, and each thread first does three steps of its own work.
    /// </summary>
    public static void ThreeOrderings()
    {
        var baton = new[] { new SimAtomic(1, "b0"), new SimAtomic(0, "b1"), new SimAtomic(0, "b2"), new SimAtomic(0, "b3") };
        var threads = new List<SimThread>();
        for (var i = 3; i >= 0; i--)
        {
            var me = i;
            var work = new SimAtomic(0, $"work{me}");
            threads.Add(Sim.Start($"relay{me}", () =>
            {
                for (var k = 0; k < 3; k++) work.Add(1);
                if (baton[me].Load() == 0) return;
                if (me == 3) Sim.Assert(false, "the baton went all the way round");
                else baton[me + 1].Store(1);
            }));
        }
        foreach (var t in threads) t.Join();
    }

    /// <summary>
    /// A producer does 100 steps then raises ready; a consumer spins (yielding) until ready, then fails unless a
    /// third thread already did its one step. The bug needs that thread held back through the whole spin.
    /// </summary>
    public static void LongSpin()
    {
        var counter = new SimAtomic(0, "counter");
        var ready = new SimAtomic(0, "ready");
        var done = new SimAtomic(0, "done");
        var producer = Sim.Start("producer", () =>
        {
            for (var i = 0; i < 100; i++) counter.Add(1);
            ready.Store(1);
        });
        var consumer = Sim.Start("consumer", () =>
        {
            while (ready.Load() == 0) Sim.Yield();
            Sim.Assert(done.Load() == 1, "the consumer got past the spin before the late thread ran");
        });
        var late = Sim.Start("late", () => done.Store(1));
        producer.Join();
        consumer.Join();
        late.Join();
    }
}
