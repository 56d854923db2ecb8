using HighMemConcurrency.Cli.Rendering;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Tests.Unit;

public sealed class TrimmingWriterTests
{
    [Theory]
    [InlineData("a b   \nc  \r\nd", "a b\nc\r\nd")]
    [InlineData("  indented  \n", "  indented\n")]
    [InlineData("no newline at the end", "no newline at the end")]
    public void Trailing_spaces_go_and_everything_else_stays(string written, string expected)
    {
        var inner = new StringWriter();
        var writer = new TrimmingWriter(inner);
        foreach (var part in written.Chunk(3)) writer.Write(new string(part));
        Assert.Equal(expected, inner.ToString());
    }

    [Fact]
    public void Redirected_tables_have_no_trailing_spaces()
    {
        var inner = new StringWriter();
        var table = new Table().AddColumn("a").AddColumn("b");
        table.AddRow("1", "a long cell to pad the others");
        table.AddRow("2", "x");
        Consoles.Create(inner, isTerminal: false).Write(table);
        Assert.All(inner.ToString().Split('\n'), line => Assert.False(line.EndsWith(' '), $"'{line}'"));
    }

    [Fact]
    public void A_width_set_for_redirected_output_wraps_long_lines()
    {
        var inner = new StringWriter();
        Consoles.Create(inner, isTerminal: false, redirectedColumns: 40).MarkupLine(new string('x', 30) + " " + new string('y', 30));
        Assert.Equal(2, inner.ToString().TrimEnd().Split('\n').Length);
    }
}
