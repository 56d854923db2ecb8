namespace HighMemConcurrency.Systematic.Tests;

/// <summary>Each textbook bug is found by random and PCT within 1,000 iterations for seeds 1–5; each twin runs clean.</summary>
public sealed class BugFindingTests
{
    private const int Budget = 1000;

    public static TheoryData<string, ulong> StrategiesAndSeeds()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var strategy in new[] { "random", "pct" })
            for (ulong seed = 1; seed <= 5; seed++) data.Add(strategy, seed);
        return data;
    }

    public static TheoryData<string> Strategies() => new() { "random", "pct" };

    private static TestOptions Options(string strategy, ulong seed = 1, bool races = true) =>
        new() { Strategy = strategy, Seed = seed, Iterations = Budget, DetectDataRaces = races, MaxSteps = 2_000 };

    private static BugReport Found(TestReport report, BugKind kind)
    {
        Assert.True(report.Bug is not null, $"no bug found: {report}");
        Assert.Equal(kind, report.Bug!.Kind);
        Assert.InRange(report.IterationsRun, 1, Budget);
        Assert.Equal(StopReason.BugFound, report.StopReason);
        return report.Bug;
    }

    private static void Clean(TestReport report)
    {
        Assert.True(report.Bug is null, $"unexpected bug: {report.Bug}\n{report.Bug?.Interleaving}");
        Assert.Equal(Budget, report.IterationsRun);
    }

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void RacyCounter_IsReportedAsDataRace(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.Counter(locked: false), Options(strategy, seed)), BugKind.DataRace);
        Assert.Contains("var 'counter'", bug.Message);
    }

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void RacyCounter_LosesAnUpdate_WhenRaceDetectionIsOff(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.Counter(locked: false), Options(strategy, seed, races: false)), BugKind.AssertionFailure);
        Assert.Equal("lost update: counter is 1, expected 2", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void LockedCounter_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.Counter(locked: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void CheckThenWait_LosesTheWakeup(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.LostWakeup(fixedVersion: false), Options(strategy, seed)), BugKind.Deadlock);
        Assert.Contains("'consumer' waits on condition 'ready'", bug.Message);
        Assert.Contains("'main' waits to join T1 'consumer'", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void WaitInOneCriticalSection_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.LostWakeup(fixedVersion: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void OppositeLockOrder_Deadlocks(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.LockOrder(fixedVersion: false), Options(strategy, seed)), BugKind.Deadlock);
        Assert.Contains("waits for lock 'B', held by T2 'ba'", bug.Message);
        Assert.Contains("waits for lock 'A', held by T1 'ab'", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void SameLockOrder_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.LockOrder(fixedVersion: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void CheckThenActOnAtomic_ViolatesAtomicity(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.AtomicityViolation(fixedVersion: false), Options(strategy, seed)), BugKind.AssertionFailure);
        Assert.Equal("atomicity violation: 2 threads claimed the slot", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void CompareExchangeClaim_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.AtomicityViolation(fixedVersion: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void UnprotectedVariable_IsADataRace(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.UnprotectedVariable(locked: false), Options(strategy, seed)), BugKind.DataRace);
        Assert.Matches("data race on var 'data': (Read|Write) by T[12] '(reader|writer)' at step \\d+ is not ordered by happens-before with the (Read|Write) by T[12] '(reader|writer)' at step \\d+", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void VariableUnderLock_HasNoRace(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.UnprotectedVariable(locked: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void ExceptionInAThread_IsReported(string strategy, ulong seed)
    {
        var bug = Found(SystematicTest.Run(TextbookPrograms.ThrowingThread(fixedVersion: false), Options(strategy, seed)), BugKind.UnhandledException);
        Assert.StartsWith("T2 'checker' threw System.InvalidOperationException: stage advanced under my feet", bug.Message);
        Assert.Contains(nameof(TextbookPrograms), bug.Message);   // the stack trace
    }

    [Theory, MemberData(nameof(Strategies))]
    public void ToleratedStore_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.ThrowingThread(fixedVersion: true), Options(strategy)));

    [Theory, MemberData(nameof(StrategiesAndSeeds))]
    public void EndlessYieldLoop_IsALivelock(string strategy, ulong seed)
    {
        var report = SystematicTest.Run(TextbookPrograms.YieldLoop(fixedVersion: false), Options(strategy, seed) with { MaxSteps = 300 });
        var bug = Found(report, BugKind.Livelock);
        Assert.Equal(1, bug.Iteration);
        Assert.Contains("exceeded 300 steps", bug.Message);
        Assert.Contains("T1 'spinner'", bug.Message);
    }

    [Theory, MemberData(nameof(Strategies))]
    public void YieldLoopWithSetter_RunsClean(string strategy) =>
        Clean(SystematicTest.Run(TextbookPrograms.YieldLoop(fixedVersion: true), Options(strategy)));
}
