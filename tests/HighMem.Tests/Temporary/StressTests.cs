using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Scenarios.Temporary;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Native stress runs: short, bounded by duration; the correct model reports no violation and no hang.</summary>
public sealed class StressTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var s in TemporaryCatalog.Scenarios.Where(s => !s.NeedsVariant)) data.Add(s.Name);
        return data;
    }

    private static readonly StressOptions Short = new() { Duration = TimeSpan.FromMilliseconds(300), WatchdogTimeout = TimeSpan.FromSeconds(5) };

    [Theory, MemberData(nameof(Scenarios))]
    public void CorrectModel_StressRunsClean(string name)
    {
        var scenario = SystematicRuns.Scenario(name);
        var report = scenario.RunStress(scenario.Defaults, Short, CancellationToken.None);
        Assert.True(report.Clean, $"{string.Join("\n", report.Violations)}\n{report.HangReport}");
        Assert.True(report.Operations > 0);
        Assert.Equal(report.Operations, report.OperationsPerCpu.Sum());
        Assert.Equal(1, report.Counters["rounds"]);   // one round lasts the run, its tasks looping until stopped
        Assert.True(report.InvariantChecks > 0);
    }

    [Fact]
    public void BuggyVariant_IsReportedAsViolations_NotAsACrash()
    {
        var scenario = SystematicRuns.Scenario("stack-nesting");
        var report = scenario.RunStress(scenario.Defaults with { Variant = AtomicVariants.KunmapOutOfOrder.Name }, Short, CancellationToken.None);
        Assert.NotEmpty(report.Violations);
        Assert.Contains(report.Violations, v => v.Contains("paging request") || v.Contains("corruption"));
        Assert.Null(report.HangReport);
    }

    [Fact]
    public void Watchdog_TurnsAStuckRoundIntoAHangReport_AndReturns()
    {
        var stuck = new StuckScenario();
        var options = new StressOptions { Duration = TimeSpan.FromSeconds(30), WatchdogTimeout = TimeSpan.FromMilliseconds(300) };
        var report = stuck.RunStress(stuck.Defaults, options, CancellationToken.None);
        Assert.NotNull(report.HangReport);
        Assert.Contains("no operation completed", report.HangReport);
        Assert.Contains("task waiter/0 on CPU0: running", report.HangReport);
        Assert.False(report.Clean);
        Assert.False(report.Canceled);
        Assert.Equal(1, report.Counters["rounds"]);   // the hang ended the run: no round after the stuck one
    }

    /// <summary>A workload whose only task waits for something that never happens (until the machine is aborted).</summary>
    private sealed class StuckScenario() : TemporaryScenario("stuck", "waits forever")
    {
        public override void Run(ScenarioParameters parameters, RunProbe? probe)
        {
            var world = OnCpu.World(window: 1, cpus: 1);
            probe?.BeginRound(world.Machine);
            var machine = world.Machine;
            machine.StartTask("waiter/0", 0, () =>
            {
                Systematic.Sim.WaitUntil(() => machine.Aborted, "never");
                machine.ThrowIfAborted();
            });
            machine.JoinAll();
        }
    }
}
