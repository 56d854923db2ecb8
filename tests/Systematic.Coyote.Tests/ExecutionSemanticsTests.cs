namespace HighMemConcurrency.Systematic.Coyote.Tests;

/// <summary>
/// The semantics every engine shares (tests/Systematic.Tests/Semantics/EngineSemanticsTests.cs, linked here), under
/// Coyote's random strategy; then what is particular to Coyote: switches counted within a range (Coyote may run the
/// child first), the deadlock found by the last thread to finish, and a race naming both threads.
/// </summary>
public sealed class CoyoteEngineSemanticsTests : HighMemConcurrency.Systematic.Tests.Semantics.EngineSemanticsTests
{
    protected override ITestEngine Engine => CoyoteTest.Engine;

    protected override string Strategy => "random";
}

/// <summary>What is particular to Coyote in one iteration: see <see cref="CoyoteEngineSemanticsTests"/>.</summary>
public sealed class ExecutionSemanticsTests
{
    private static TestReport Once(Action body, int maxSteps = 10_000) =>
        CoyoteTest.Run(body, new TestOptions { Strategy = "random", Iterations = 1, Seed = 1, MaxSteps = maxSteps });

    [Fact]
    public void ASwitch_IsCountedWhenAnotherThreadRuns()
    {
        var report = Once(() =>
        {
            var t = Sim.Start("child", () => { });
            t.Join();
        });
        Assert.Null(report.Bug);
        Assert.Equal(4, report.StepsExplored);            // main: start, Start(T1), Join; child: start
        Assert.InRange(report.ThreadSwitches, 1, 2);       // to the child, and back to main unless the child ran first
    }

    /// <summary>The last thread to finish, leaving the others blocked, finds the deadlock too.</summary>
    [Fact]
    public void AThreadThatFinishesLeavingOnlyBlockedOnes_IsADeadlock()
    {
        var report = Once(() =>
        {
            var l = new SimLock("l");
            var holder = Sim.Start("holder", () => l.Enter());
            holder.Join();
            l.Enter();
        });
        Assert.Equal(BugKind.Deadlock, report.Bug?.Kind);
        Assert.Equal("deadlock: no thread can run; T0 'main' waits for lock 'l', held by T1 'holder'", report.Bug!.Message);
    }

    /// <summary>A race's report names the other thread by its label, as under our engine.</summary>
    [Fact]
    public void ADataRace_NamesBothThreads()
    {
        var report = CoyoteTest.Run(() =>
        {
            var x = new SimVar<int>(0, "x");
            var done = false;
            var t = Sim.Start("writer", () =>
            {
                x.Write(1);
                done = true;
            });
            Sim.WaitUntil(() => done, "the write");
            _ = x.Read();
            t.Join();
        }, new TestOptions { Strategy = "random", Seed = 1, Iterations = 1, DetectDataRaces = true });
        Assert.Equal(BugKind.DataRace, report.Bug?.Kind);
        Assert.Matches("^data race on var 'x': Read by T0 'main' at step \\d+ is not ordered by happens-before with the " +
            "Write by T1 'writer' at step \\d+$", report.Bug!.Message);
    }

}
