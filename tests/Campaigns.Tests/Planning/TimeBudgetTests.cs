
namespace HighMemConcurrency.Campaigns.Tests;

public sealed class TimeBudgetTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void Without_a_limit_there_is_no_share() => Assert.Null(new TimeBudget(null, new ManualTime()).NextShare(3));

    [Fact]
    public void Each_part_gets_an_equal_share_of_what_is_left()
    {
        var time = new ManualTime();
        var budget = new TimeBudget(TimeSpan.FromSeconds(60), time);
        Assert.Equal(TimeSpan.FromSeconds(20), budget.NextShare(3));
        time.Advance(TimeSpan.FromSeconds(5)); // the first part finished early
        Assert.Equal(TimeSpan.FromSeconds(27.5), budget.NextShare(2));
    }

    [Fact]
    public void An_overrun_budget_still_gives_a_positive_share()
    {
        var time = new ManualTime();
        var budget = new TimeBudget(TimeSpan.FromSeconds(1), time);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(budget.NextShare(1) > TimeSpan.Zero);
    }
}
