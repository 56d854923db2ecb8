using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>A Coyote-found bug replays, through either entry point, and a broken trace is refused in one line.</summary>
public sealed class ReplayTests
{
    private static BugReport Found(Action test) =>
        CoyoteTest.Run(test, new TestOptions { Strategy = "random", Iterations = 500, Seed = 3 }).Bug!;

    [Theory]
    [InlineData("lost-update")]
    [InlineData("deadlock")]
    [InlineData("race")]
    public void A_found_bug_replays_to_the_same_kind_message_and_interleaving(string which)
    {
        Action test = which switch
        {
            "lost-update" => Programs.LostUpdate(false),
            "deadlock" => Programs.LockOrder(),
            _ => Programs.Race(),
        };
        var bug = Found(test);
        foreach (var replayed in new[] { CoyoteTest.Replay(test, bug.TraceJson), SystematicTest.Replay(test, bug.TraceJson) })
        {
            Assert.Equal(bug.Kind, replayed.Bug!.Kind);
            Assert.Equal(bug.Message, replayed.Bug.Message);
            Assert.Equal(bug.Interleaving, replayed.Bug.Interleaving);
        }
    }

    [Fact]
    public void Loading_this_assembly_registers_Coyote_as_the_engine_of_its_traces()
    {
        Assert.Same(CoyoteTest.Engine, TestEngines.Find(CoyoteTest.EngineName));
        Assert.Same(SystematicTest.Engine, TestEngines.All[0]);
    }

    [Fact]
    public void A_trace_of_another_program_diverges()
    {
        var bug = Found(Programs.LockOrder());
        Assert.Throws<TraceDivergenceException>(() => SystematicTest.Replay(Programs.LostUpdate(true), bug.TraceJson));
    }

    [Fact]
    public void A_corrupted_coyote_step_is_a_format_error_naming_it()
    {
        var bug = Found(Programs.LostUpdate(false));
        var broken = System.Text.RegularExpressions.Regex.Replace(bug.TraceJson, "\"op\\(", "\"xx(");
        var e = Assert.Throws<TraceFormatException>(() => SystematicTest.Replay(Programs.LostUpdate(false), broken));
        Assert.StartsWith("coyote.Steps[", e.Field);
    }
}
