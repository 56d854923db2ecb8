using Microsoft.Coyote.Logging;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// Coyote says a trace does not reproduce only in its log: <see cref="CoyoteLog"/> keeps the first such line, from
/// "The trace" on, whatever came before it on the line or after it on the next lines, and whether Coyote wrote it
/// whole or as a format with arguments; any other line leaves it null.
/// </summary>
public sealed class CoyoteLogTests
{
    private const string Line = "The trace 'x' is not reproducible at execution step '3': op(2) is not enabled";

    [Fact]
    public void OtherLines_AreIgnored()
    {
        var log = new CoyoteLog();
        log.WriteLine("<TestLog> Running test 'x'.");
        log.WriteLine("<StrategyLog> {0}", "random");
        Assert.Null(log.Divergence);
    }

    [Fact]
    public void AWholeLine_IsKeptFromTheTraceOn_WithoutWhatFollowsOnTheNextLines()
    {
        var log = new CoyoteLog();
        log.WriteLine($"Error: {Line}\nat step 3\n");
        Assert.Equal(Line, log.Divergence);
    }

    [Fact]
    public void AFormatWithArguments_IsFormattedFirst()
    {
        var log = new CoyoteLog();
        log.WriteLine(LogSeverity.Error, "{0} {1}", "<ErrorLog>", Line);
        Assert.Equal(Line, log.Divergence);
    }

    [Fact]
    public void ALineWithoutThePhrasesStart_IsKeptWhole()
    {
        var log = new CoyoteLog();
        log.Write("  step 3 is not reproducible at execution step '3'  ");
        Assert.Equal("step 3 is not reproducible at execution step '3'", log.Divergence);
    }

    [Fact]
    public void TheFirstLine_IsKept()
    {
        var log = new CoyoteLog();
        log.WriteLine(Line);
        log.WriteLine("The trace 'y' is not reproducible at execution step '9': later");
        Assert.Equal(Line, log.Divergence);
    }
}
