using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns.Tests.Catalogs;

/// <summary>
/// A test body under <c>hmc stress</c>: run natively over and over; a failing iteration is one violation per distinct
/// message, and one that never returns is a hang that ends the run.
/// </summary>
public sealed class BodyStressTests
{
    private static StressReport Stress(Action body, TimeSpan duration, TimeSpan watchdog) =>
        new TestBodyScenario("body", body).RunStress(new ScenarioParameters(), new StressOptions { Duration = duration, WatchdogTimeout = watchdog },
            CancellationToken.None);

    [Fact]
    public void Every_iteration_runs_the_body_and_counts()
    {
        var runs = 0;
        var report = Stress(() => Interlocked.Increment(ref runs), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        Assert.True(report.Clean);
        Assert.Equal(runs, report.Operations);
        Assert.Equal((long)runs, report.Counters["iterations"]);
        Assert.Empty(report.OperationsPerCpu);
    }

    [Fact]
    public void A_failing_iteration_is_a_violation_reported_once_per_message()
    {
        var report = Stress(() => Sim.Assert(false, "the counter lost an update"), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        Assert.Equal(["SimAssertionException: the counter lost an update"], report.Violations);
        Assert.True(report.Operations >= 1);
        Assert.False(report.Clean);
    }

    [Fact]
    public void An_iteration_that_never_returns_is_a_hang_that_ends_the_run()
    {
        using var never = new ManualResetEventSlim();
        try
        {
            var report = Stress(() => never.Wait(), TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100));

            Assert.Equal("watchdog: iteration 1 of body did not return within 0.1 s (a task asleep for good, or spinning); its threads are abandoned",
                report.HangReport);
            Assert.Equal(0, report.Operations);
        }
        finally
        {
            never.Set();   // let the abandoned thread finish
        }
    }
}
