using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Systematic.Tests.Runtime;

/// <summary>The iteration bookkeeping both engines share, driven by hand as an engine drives it.</summary>
public sealed class IterationLoopTests
{
    private sealed class Found(string name)
    {
        public string Name { get; } = name;
    }

    private sealed class SynchronousProgress(Action<TestProgress> report) : IProgress<TestProgress>
    {
        public void Report(TestProgress value) => report(value);
    }

    private static BugReport Report(Found found) => Tracing.BugReports.Create(new TestOptions(), "random", 1, BugKind.AssertionFailure, found.Name, [], []);

    [Fact]
    public void A_clean_budget_sums_the_iterations_and_stops_for_the_budget()
    {
        var loop = new IterationLoop<Found>(new TestOptions { Seed = 9 });
        for (var i = 0; i < 3; i++)
        {
            Assert.True(loop.MayStart(() => true));
            Assert.True(loop.Completed(10 + i, 2, null));
        }
        var report = loop.Finish(Report, "pct");
        Assert.Null(report.Bug);
        Assert.Equal(3, report.IterationsRun);
        Assert.Equal(33, report.StepsExplored);
        Assert.Equal(6, report.ThreadSwitches);
        Assert.Equal(StopReason.IterationBudget, report.StopReason);
        Assert.False(report.Exhausted);
        Assert.Equal("pct", report.Strategy);
        Assert.Equal(9UL, report.Seed);
    }

    [Fact]
    public void The_first_bug_stops_the_run_and_is_the_one_reported()
    {
        var loop = new IterationLoop<Found>(new TestOptions());
        Assert.True(loop.Completed(5, 1, null));
        Assert.False(loop.Completed(7, 1, new Found("first")));
        Assert.False(loop.Completed(7, 1, new Found("second")));   // an engine that went on anyway changes nothing
        var report = loop.Finish(Report, "random");
        Assert.Equal("first", report.Bug!.Message);
        Assert.Equal(StopReason.BugFound, report.StopReason);
        Assert.Equal(3, report.IterationsRun);
    }

    [Fact]
    public void Cancellation_is_checked_before_the_time_limit_and_before_the_strategy_is_asked()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var loop = new IterationLoop<Found>(new TestOptions { Cancellation = cancel.Token, TimeLimit = TimeSpan.FromTicks(1) });
        Assert.False(loop.MayStart(() => throw new InvalidOperationException("the strategy must not be asked")));
        var report = loop.Finish(Report, "random");
        Assert.Equal(StopReason.Canceled, report.StopReason);
        Assert.Equal(0, report.IterationsRun);
    }

    [Fact]
    public void A_strategy_without_an_iteration_left_or_a_spent_space_is_exhaustion()
    {
        var declined = new IterationLoop<Found>(new TestOptions());
        Assert.True(declined.Completed(1, 0, null));
        Assert.False(declined.MayStart(() => false));
        var report = declined.Finish(Report, "dfs");
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.True(report.Exhausted);

        var spent = new IterationLoop<Found>(new TestOptions());
        Assert.True(spent.Completed(1, 0, null));
        report = spent.Finish(Report, "dfs", strategyExhausted: true, interleavings: 4, strategySummary: "all of it");
        Assert.Equal(StopReason.Exhausted, report.StopReason);
        Assert.Equal(4, report.Interleavings);
        Assert.Equal("all of it", report.StrategySummary);
    }

    [Fact]
    public void A_bug_in_the_last_schedule_is_a_bug_not_exhaustion()
    {
        var loop = new IterationLoop<Found>(new TestOptions());
        Assert.False(loop.Completed(1, 0, new Found("bug")));
        Assert.Equal(StopReason.BugFound, loop.Finish(Report, "dfs", strategyExhausted: true).StopReason);
    }

    [Fact]
    public void Progress_is_told_after_clean_iterations_when_due_and_once_at_the_end()
    {
        var seen = new List<TestProgress>();
        var loop = new IterationLoop<Found>(new TestOptions { Progress = new SynchronousProgress(seen.Add), ProgressInterval = TimeSpan.Zero });
        loop.Completed(4, 0, null);
        loop.Completed(6, 0, new Found("bug"));   // not after the iteration that stops the run: the end reports it
        loop.Finish(Report, "random");
        Assert.Equal([(1, 4L), (2, 10L)], seen.Select(p => (p.IterationsRun, p.StepsExplored)));
    }
}
