using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns.Tests;

public sealed class TraceFileNamerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 5, 42, TimeSpan.Zero);

    [Fact]
    public void A_trace_name_says_run_order_scenario_variant_kind_and_how_to_reproduce()
    {
        var stamp = TraceFileNamer.RunStamp(Noon);
        var name = TraceFileNamer.TraceName(stamp, 3, "shared-page", "enqueue-after-unlock", BugKind.Deadlock, "pct", 11, 37);
        Assert.Equal("20261122-120005-042_003_shared-page_enqueue-after-unlock_deadlock_pct-s11-i37.trace.json", name);
    }

    [Fact]
    public void Stamps_are_UTC_so_runs_sort_the_same_everywhere()
    {
        var local = new DateTimeOffset(2026, 11, 22, 14, 0, 5, 42, TimeSpan.FromHours(2));
        Assert.Equal(TraceFileNamer.RunStamp(Noon), TraceFileNamer.RunStamp(local));
    }

    [Fact]
    public void Files_sort_by_run_then_finding_and_the_summary_comes_after_the_traces()
    {
        var early = TraceFileNamer.RunStamp(Noon);
        var late = TraceFileNamer.RunStamp(Noon.AddSeconds(1));
        string[] inOrder =
        [
            TraceFileNamer.TraceName(early, 1, "b", "none", BugKind.Deadlock, "pct", 1, 1),
            TraceFileNamer.TraceName(early, 2, "a", "none", BugKind.DataRace, "pct", 1, 1),
            TraceFileNamer.TraceName(early, 10, "a", "none", BugKind.DataRace, "pct", 1, 1),
            TraceFileNamer.SummaryName(early, "test"),
            TraceFileNamer.TraceName(late, 1, "a", "none", BugKind.Deadlock, "pct", 1, 1),
        ];
        Assert.Equal(inOrder, inOrder.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(BugKind.UncontrolledConcurrency, "uncontrolled-concurrency")]
    [InlineData(BugKind.AssertionFailure, "assertion-failure")]
    [InlineData(BugKind.Deadlock, "deadlock")]
    public void Kinds_are_kebab_case(BugKind kind, string slug) => Assert.Equal(slug, TraceFileNamer.KindSlug(kind));

    [Fact]
    public void Names_that_could_break_a_path_are_made_safe()
    {
        var name = TraceFileNamer.TraceName("s", 1, "../etc/passwd", "a_b c", BugKind.Deadlock, "pct", 1, 1);
        Assert.DoesNotContain('/', name);
        Assert.Equal(6, name.Split('_').Length);
    }
}
