using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The native stress runner measures, checks, and turns a hang into a report instead of hanging.</summary>
public sealed class StressTests
{
    [Fact]
    public void CorrectModel_StressRunIsClean()
    {
        var s = Catalog.FindScenario("wrap-readers")!;
        var report = s.RunStress(s.Defaults, new StressOptions
        {
            Duration = TimeSpan.FromMilliseconds(300),
            CheckInterval = TimeSpan.FromMilliseconds(20),
            WatchdogTimeout = TimeSpan.FromSeconds(20),
        }, CancellationToken.None);
        Assert.True(report.Clean, $"{string.Join("; ", report.Violations)}\n{report.HangReport}");
        Assert.True(report.Operations >= report.Parameters.Cpus);   // every task completes at least one operation
        Assert.Equal(report.Operations, report.OperationsPerCpu.Sum());
        Assert.True(report.InvariantChecks > 0);
        Assert.True(report.Counters["kmap_lock.acquisitions"] > 0);
        Assert.True(report.Counters["pkmap.wraps"] > 0);
        Assert.True(report.KmapLatency.Count > 0);
    }

    /// <summary>
    /// With H3 the CPUs deadlock for real (one waits for an IPI acknowledgement holding kmap_lock, the other spins on
    /// it with IRQs off); the watchdog reports who holds kmap_lock and unwinds every thread. The run is bounded by
    /// its duration: the deadlock needs one contended acquisition during a flush, which tight loops hit at once.
    /// </summary>
    [Fact]
    public void IpiDeadlock_IsReportedByTheWatchdog()
    {
        var s = Catalog.FindScenario("wrap-readers")!;
        var report = s.RunStress(s.Defaults with { Variant = "irq-off-lock-ipi-flush" }, new StressOptions
        {
            Duration = TimeSpan.FromSeconds(60),
            WatchdogTimeout = TimeSpan.FromMilliseconds(500),
        }, CancellationToken.None);
        Assert.NotNull(report.HangReport);
        Assert.Contains("kmap_lock: held by", report.HangReport);
        Assert.Contains("pkmap_count = [", report.HangReport);
        Assert.False(report.Clean);
    }
}
