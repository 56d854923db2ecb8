using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Every bug found replays to the same kind, message and interleaving; edited traces fail loudly.</summary>
public sealed class ReplayTests
{
    public static TheoryData<string, string> BuggyPrograms()
    {
        var data = new TheoryData<string, string>();
        foreach (var program in Programs.Keys)
            foreach (var strategy in new[] { "random", "pct" })
                data.Add(program, strategy);
        return data;
    }

    private static readonly Dictionary<string, (Action Body, TestOptions Options)> Programs = new()
    {
        ["racy-counter"] = (TextbookPrograms.Counter(false), new TestOptions()),
        ["lost-update"] = (TextbookPrograms.Counter(false), new TestOptions { DetectDataRaces = false }),
        ["lost-wakeup"] = (TextbookPrograms.LostWakeup(false), new TestOptions()),
        ["lock-order"] = (TextbookPrograms.LockOrder(false), new TestOptions()),
        ["atomicity"] = (TextbookPrograms.AtomicityViolation(false), new TestOptions()),
        ["unprotected"] = (TextbookPrograms.UnprotectedVariable(false), new TestOptions()),
        ["exception"] = (TextbookPrograms.ThrowingThread(false), new TestOptions()),
        ["livelock"] = (TextbookPrograms.YieldLoop(false), new TestOptions { MaxSteps = 200 }),
    };

    private static BugReport Find(string program, string strategy, ulong seed = 3)
    {
        var (body, options) = Programs[program];
        var report = SystematicTest.Run(body, options with { Strategy = strategy, Seed = seed, TestName = program });
        Assert.NotNull(report.Bug);
        return report.Bug!;
    }

    [Theory, MemberData(nameof(BuggyPrograms))]
    public void FoundBug_ReplaysToTheSameKindMessageAndInterleaving(string program, string strategy)
    {
        var bug = Find(program, strategy);
        var replay = SystematicTest.Replay(Programs[program].Body, bug.TraceJson);
        Assert.NotNull(replay.Bug);
        Assert.Equal(bug.Kind, replay.Bug!.Kind);
        Assert.Equal(bug.Message, replay.Bug.Message);
        Assert.Equal(bug.Interleaving, replay.Bug.Interleaving);
        Assert.Equal(bug.Steps, replay.Bug.Steps);
        Assert.Equal(1, replay.IterationsRun);
    }

    [Fact]
    public void Trace_DescribesWhatRan()
    {
        var bug = Find("lock-order", "pct");
        var trace = ScheduleTrace.Parse(bug.TraceJson);
        Assert.Equal("lock-order", trace.TestName);
        Assert.Equal("pct", trace.Strategy);
        Assert.Equal(3UL, trace.Seed);
        Assert.Equal(bug.Iteration, trace.Iteration);
        Assert.Equal(BugKind.Deadlock, trace.BugKind);
        Assert.Equal(bug.Message, trace.BugMessage);
        Assert.Equal(bug.Steps.Count, trace.Decisions.Count(d => d.Kind == DecisionKind.Thread));
        Assert.StartsWith("HighMemConcurrency ", trace.Tool);
        Assert.Contains("\"format\": \"hmc-trace/1\"", bug.TraceJson);
    }

    [Fact]
    public void TraceWithAThreadThatIsNotEnabled_DivergesAtThatStep()
    {
        var bug = Find("lock-order", "random");
        var trace = ScheduleTrace.Parse(bug.TraceJson);
        var decisions = trace.Decisions.ToArray();
        decisions[1] = new Decision(DecisionKind.Thread, 7);   // step 2: main is the only thread; T7 never exists
        var edited = (trace with { Decisions = decisions }).ToJson();
        var e = Assert.Throws<TraceDivergenceException>(() => SystematicTest.Replay(TextbookPrograms.LockOrder(false), edited));
        Assert.Equal(2, e.Step);
        Assert.Equal("trace diverged at step 2: the trace runs thread T7 but the enabled threads are [T0]", e.Message);
    }

    [Fact]
    public void TraceCutShort_DivergesWhereItEnds()
    {
        var bug = Find("lock-order", "random");
        var trace = ScheduleTrace.Parse(bug.TraceJson);
        var shortened = (trace with { Decisions = trace.Decisions.Take(3).ToArray() }).ToJson();
        var e = Assert.Throws<TraceDivergenceException>(() => SystematicTest.Replay(TextbookPrograms.LockOrder(false), shortened));
        Assert.Equal(4, e.Step);
        Assert.Contains("the trace ended after 3 decisions", e.Message);
    }

    [Fact]
    public void TraceOfAnotherProgram_Diverges()
    {
        var bug = Find("lock-order", "pct");
        Assert.Throws<TraceDivergenceException>(() => SystematicTest.Replay(TextbookPrograms.LockOrder(fixedVersion: true), bug.TraceJson));
    }

    [Fact]
    public void TraceWithExtraDecisions_Diverges()
    {
        var bug = Find("lock-order", "pct");
        var trace = ScheduleTrace.Parse(bug.TraceJson);
        var longer = (trace with { Decisions = trace.Decisions.Append(new Decision(DecisionKind.Thread, 0)).ToArray() }).ToJson();
        var e = Assert.Throws<TraceDivergenceException>(() => SystematicTest.Replay(TextbookPrograms.LockOrder(false), longer));
        Assert.Contains($"stopped with Deadlock after {trace.Decisions.Count} decisions but the trace has {trace.Decisions.Count + 1}", e.Message);
    }

    [Theory, InlineData("random"), InlineData("pct"), InlineData("dfs")]
    public void SameSeed_GivesIdenticalTraces(string strategy)
    {
        var options = new TestOptions { Strategy = strategy, Seed = 42, PreemptionBound = null };
        var first = SystematicTest.Run(TextbookPrograms.AtomicityViolation(false), options);
        var second = SystematicTest.Run(TextbookPrograms.AtomicityViolation(false), options);
        Assert.NotNull(first.Bug);
        Assert.Equal(first.IterationsRun, second.IterationsRun);
        Assert.Equal(first.Bug!.TraceJson, second.Bug!.TraceJson);
    }

    [Fact]
    public void SameSeed_GivesIdenticalCleanRuns()
    {
        var options = new TestOptions { Strategy = "random", Seed = 9, Iterations = 200 };
        var first = SystematicTest.Run(TextbookPrograms.Counter(locked: true), options);
        var second = SystematicTest.Run(TextbookPrograms.Counter(locked: true), options);
        Assert.Null(first.Bug);
        Assert.Equal(first.StepsExplored, second.StepsExplored);
    }
}
