using HighMemConcurrency.Cli.Parsing;

namespace HighMemConcurrency.Cli.Tests.Unit;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:01:30", 90_000)]
    public void Reads_the_forms_people_type(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("ten")]
    [InlineData("5 parsecs")]
    [InlineData("m")]
    public void Rejects_what_is_not_a_positive_duration(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("0ms")]
    public void Zero_is_read_only_where_it_turns_an_option_off(string text)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, allowZero: true));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.False(DurationParser.TryParse("-1s", out _, allowZero: true));
        Assert.False(DurationParser.TryParse("", out _, allowZero: true));
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(12_500, "12.5s")]
    [InlineData(125_000, "2m05s")]
    public void Formats_short(int milliseconds, string expected) =>
        Assert.Equal(expected, DurationParser.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
