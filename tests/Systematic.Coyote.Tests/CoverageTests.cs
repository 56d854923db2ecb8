namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>Under Coyote too, <see cref="Sim.Cover"/> counts per event the iterations that reached it, the same for the same seed.</summary>
public sealed class CoverageTests
{
    private static void Race()
    {
        var first = new SimAtomic(-1, "first");
        Sim.Cover("start");
        var worker = Sim.Start("worker", () =>
        {
            if (first.CompareExchange(1, -1) == -1) Sim.Cover("worker first");
        });
        first.CompareExchange(0, -1);
        Sim.Cover("start");
        worker.Join();
    }

    [Fact]
    public void Each_event_counts_the_iterations_that_reached_it()
    {
        var options = new TestOptions { Strategy = "random", Iterations = 100, Seed = 5 };
        var report = CoyoteTest.Run(Race, options);

        Assert.Equal(["start", "worker first"], report.Coverage.Keys);
        Assert.Equal(100, report.Coverage["start"]);
        Assert.InRange(report.Coverage["worker first"], 1, 99);
        Assert.Equal(report.Coverage, CoyoteTest.Run(Race, options).Coverage);
    }
}
