namespace HighMemConcurrency.Systematic.Tests;

/// <summary>
/// <see cref="Sim.Cover"/>: the report counts, per event, the iterations that reached it — once per iteration however
/// often, the same for the same seed — without changing any schedule or trace; natively it does nothing.
/// </summary>
public sealed class CoverageTests
{
    /// <summary>Every iteration reaches "start" (twice) and, when the worker wins the race, "worker first".</summary>
    private static void Race(bool cover)
    {
        var first = new SimAtomic(-1, "first");
        if (cover) Sim.Cover("start");
        var worker = Sim.Start("worker", () =>
        {
            if (first.CompareExchange(1, -1) == -1 && cover) Sim.Cover("worker first");
        });
        first.CompareExchange(0, -1);
        if (cover) Sim.Cover("start");
        worker.Join();
    }

    private static TestOptions Options(string strategy) => new() { Strategy = strategy, Iterations = 200, Seed = 3 };

    [Theory]
    [InlineData("random")]
    [InlineData("pct")]
    [InlineData("dfs")]
    public void Each_event_counts_the_iterations_that_reached_it(string strategy)
    {
        var report = SystematicTest.Run(() => Race(cover: true), Options(strategy));

        Assert.Equal(["start", "worker first"], report.Coverage.Keys);
        Assert.Equal(report.IterationsRun, report.Coverage["start"]);
        Assert.InRange(report.Coverage["worker first"], 1, report.IterationsRun - 1);
        Assert.Equal(report.Coverage, SystematicTest.Run(() => Race(cover: true), Options(strategy)).Coverage);
    }

    [Fact]
    public void Covering_changes_no_schedule_and_no_trace()
    {
        static void Body(bool cover)
        {
            var counter = new SimAtomic(0, "counter");
            var worker = Sim.Start("worker", () => { if (cover) Sim.Cover("worker"); counter.Store(counter.Load() + 1); });
            if (cover) Sim.Cover("main");
            counter.Store(counter.Load() + 1);
            worker.Join();
            Sim.Assert(counter.Load() == 2, $"lost update: counter is {counter.Load()}");
        }
        var covered = SystematicTest.Run(() => Body(true), Options("random"));
        var plain = SystematicTest.Run(() => Body(false), Options("random"));

        Assert.Equal(plain.Bug!.TraceJson, covered.Bug!.TraceJson);
        Assert.Equal(plain.Bug.Interleaving, covered.Bug.Interleaving);
        Assert.Equal((plain.IterationsRun, plain.StepsExplored), (covered.IterationsRun, covered.StepsExplored));
        Assert.Equal(covered.IterationsRun, covered.Coverage["main"]);
        Assert.Empty(plain.Coverage);
    }

    [Fact]
    public void Natively_cover_does_nothing() => Sim.Cover("outside any test");
}
