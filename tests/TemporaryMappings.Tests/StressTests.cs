using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.TemporaryScenarios;

namespace HighMemConcurrency.TemporaryMappings.Tests;

/// <summary>Native stress runs: short, bounded by duration; the correct model reports no violation and no hang.</summary>
public sealed class StressTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var s in TemporaryCatalog.Scenarios.Where(s => !CorrectModelTests.DesignedToOverflow.Contains(s.Name))) data.Add(s.Name);
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
        Assert.True(report.Counters["rounds"] > 0);
        Assert.True(report.InvariantChecks > 0);
    }

    [Fact]
    public void BuggyVariant_IsReportedAsViolations_NotAsACrash()
    {
        var scenario = SystematicRuns.Scenario("stack-nesting");
        var report = scenario.RunStress(scenario.Defaults with { Variant = TemporaryVariants.KunmapOutOfOrder }, Short, CancellationToken.None);
        Assert.NotEmpty(report.Violations);
        Assert.Contains(report.Violations, v => v.Contains("paging request") || v.Contains("corruption"));
        Assert.Null(report.HangReport);
    }
}
