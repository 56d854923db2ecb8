using HighMemConcurrency.Tests.Fakes;

namespace HighMemConcurrency.Campaigns.Tests;

public sealed class JobOutcomeTests
{
    private static readonly TestJob Job = new(new CounterScenario(), new CounterScenario().Defaults, "portfolio", null);

    private static JobOutcome Outcome(params JobStop[] stops) =>
        new(Job, stops.Select((s, i) => new SliceOutcome(new Slice("pct", (ulong)i, 3, 10), 10, 100, TimeSpan.FromSeconds(1), s)).ToList(), null, null);

    [Fact]
    public void A_portfolio_with_a_slice_cut_by_time_is_reported_as_time_limited() =>
        Assert.Equal(JobStop.TimeLimit, Outcome(JobStop.TimeLimit, JobStop.IterationBudget, JobStop.IterationBudget).Stop);

    [Fact]
    public void A_portfolio_that_ran_every_iteration_is_reported_as_budget() =>
        Assert.Equal(JobStop.IterationBudget, Outcome(JobStop.IterationBudget, JobStop.IterationBudget).Stop);

    [Fact]
    public void Cancellation_wins() => Assert.Equal(JobStop.Canceled, Outcome(JobStop.TimeLimit, JobStop.Canceled).Stop);

    [Fact]
    public void Totals_add_the_slices()
    {
        var o = Outcome(JobStop.IterationBudget, JobStop.IterationBudget);
        Assert.Equal((20, 200L, TimeSpan.FromSeconds(2), 10.0), (o.Iterations, o.Steps, o.Elapsed, o.SchedulesPerSecond));
        Assert.Equal("clean (budget)", Verdict.Result(o));
    }
}
