namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Minimize keeps the bug and its kind, never adds preemptions, and reaches the hand-derived minimum.</summary>
public sealed class MinimizeTests
{
    private static BugReport FindWithRandom(Action body, ulong seed)
    {
        var report = SystematicTest.Run(body, new TestOptions { Strategy = "random", Seed = seed, Iterations = 10_000, DetectDataRaces = false });
        return report.Bug ?? throw new InvalidOperationException("random did not find the bug");
    }

    // The lost update needs exactly one preemption: with none, each incrementer runs read-then-write without a break
    // (main blocked in its join is no preemption), so the counter reaches 2; with one — a preempted between its read
    // and its write while b runs whole — the update is lost.
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void LostUpdate_ShrinksToOnePreemption(ulong seed)
    {
        var body = TextbookPrograms.Counter(locked: false);
        var bug = FindWithRandom(body, seed);
        var result = SystematicTest.Minimize(body, bug.TraceJson, new TestOptions { DetectDataRaces = false });
        Assert.Equal(BugKind.AssertionFailure, result.Minimized.Kind);
        Assert.Equal(1, result.Preemptions);
        Assert.True(result.Preemptions <= result.OriginalPreemptions);
        Assert.True(result.Steps <= result.OriginalSteps || result.Preemptions < result.OriginalPreemptions);
        var replay = SystematicTest.Replay(body, result.Minimized.TraceJson);
        Assert.Equal(BugKind.AssertionFailure, replay.Bug?.Kind);
    }

    [Fact]
    public void Deadlock_StaysADeadlock_WithNoMorePreemptions()
    {
        var body = TextbookPrograms.LostWakeup(fixedVersion: false);
        var bug = FindWithRandom(body, 5);
        var result = SystematicTest.Minimize(body, bug.TraceJson);
        Assert.Equal(BugKind.Deadlock, result.Minimized.Kind);
        Assert.True(result.Preemptions <= result.OriginalPreemptions);
        Assert.Equal(BugKind.Deadlock, SystematicTest.Replay(body, result.Minimized.TraceJson).Bug?.Kind);
    }

    [Fact]
    public void SameInputSameOutput()
    {
        var body = TextbookPrograms.AtomicityViolation(fixedVersion: false);
        var bug = FindWithRandom(body, 9);
        var a = SystematicTest.Minimize(body, bug.TraceJson);
        var b = SystematicTest.Minimize(body, bug.TraceJson);
        Assert.Equal(a.Minimized.TraceJson, b.Minimized.TraceJson);
    }

    [Fact]
    public void CleanTrace_IsRefused()
    {
        var body = TextbookPrograms.Counter(locked: true);
        var clean = SystematicTest.Run(body, new TestOptions { Strategy = "dfs", Iterations = 1 });
        Assert.Null(clean.Bug);
        var found = SystematicTest.Run(TextbookPrograms.Counter(locked: false), new TestOptions { Strategy = "random", DetectDataRaces = false });
        // The locked counter never loses the update, so the unlocked counter's bug trace does not reproduce on it.
        var e = Record.Exception(() => SystematicTest.Minimize(body, found.Bug!.TraceJson));
        Assert.True(e is Tracing.TraceDivergenceException or ArgumentException { ParamName: "traceJson" }, $"unexpected {e}");
    }

    [Fact]
    public void InvariantName_IsWhatIdentifiesAnAssertion()
    {
        Assert.Equal("P2", Minimizing.TraceMinimizer.InvariantOf("invariant P2 violated: slot 0 maps page 1"));
        Assert.Null(Minimizing.TraceMinimizer.InvariantOf("lost update: counter is 1, expected 2"));
    }
}
