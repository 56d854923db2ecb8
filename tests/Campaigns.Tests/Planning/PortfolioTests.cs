
namespace HighMemConcurrency.Campaigns.Tests;

public sealed class PortfolioTests
{
    [Theory]
    [InlineData("random")]
    [InlineData("pct")]
    [InlineData("dfs")]
    public void A_single_strategy_is_one_slice_with_the_whole_budget(string strategy)
    {
        var slice = Assert.Single(Portfolio.Slices(strategy, 42, 1000));
        Assert.Equal(new Slice(strategy, 42, Portfolio.DefaultPctDepth, 1000), slice);
    }

    [Fact]
    public void Portfolio_alternates_pct_and_random_with_consecutive_seeds()
    {
        var slices = Portfolio.Slices("portfolio", 7, 1000);
        Assert.Equal(["pct", "pos", "pct", "random"], slices.Select(s => s.Strategy));
        Assert.Equal([7UL, 8UL, 9UL, 10UL], slices.Select(s => s.Seed));
        Assert.Equal([3, 2], slices.Where(s => s.Strategy == "pct").Select(s => s.PctDepth));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1001)]
    public void Portfolio_slices_add_up_to_the_budget_and_none_is_empty(int iterations)
    {
        var slices = Portfolio.Slices("portfolio", 1, iterations);
        Assert.Equal(iterations, slices.Sum(s => s.Iterations));
        Assert.All(slices, s => Assert.True(s.Iterations >= 1));
        Assert.True(slices.Max(s => s.Iterations) - slices.Min(s => s.Iterations) <= 1);
    }

    [Fact]
    public void Seeds_wrap_instead_of_overflowing()
    {
        var slices = Portfolio.Slices("portfolio", ulong.MaxValue, 4);
        Assert.Equal([ulong.MaxValue, 0UL, 1UL, 2UL], slices.Select(s => s.Seed));
    }
}
