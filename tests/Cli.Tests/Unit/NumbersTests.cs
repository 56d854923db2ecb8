using HighMemConcurrency.Cli.Rendering;

namespace HighMemConcurrency.Cli.Tests.Unit;

public sealed class NumbersTests
{
    [Theory]
    [InlineData(850, "850 ns")]
    [InlineData(32_768, "32.8 µs")]
    [InlineData(33_500_000, "33.5 ms")]
    [InlineData(3_611_200_000, "3.61 s")]
    public void Latencies_pick_a_readable_unit(double ns, string text) => Assert.Equal(text, Numbers.Nanoseconds(ns));

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(99.94, "99.9")]
    [InlineData(20_932.4, "20,932")]
    public void Rates_keep_a_decimal_only_when_small(double rate, string text) => Assert.Equal(text, Numbers.Rate(rate));
}
