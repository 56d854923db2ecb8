using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests;

/// <summary>The native stress runner measures, checks, and turns a hang into a report instead of hanging.</summary>
public sealed class StressTests
{
    /// <summary>
    /// A short correct run of wrap-readers is clean and every figure it reports moved — each one certain whatever the
    /// run's length or the machine's load, not a matter of how much ran in 300 ms: every task completes at least one
    /// operation (the workload's loop is do-while), each taking kmap_lock and timing its kmap; the round's last
    /// invariant check runs once the tasks stop; and with two pkmap slots any second page ever mapped needs a wrap (the
    /// hand's first step takes slot 1, its next reaches 0), which the cycler's first operation (two distinct pages) needs.
    /// </summary>
    [Fact]
    public void CorrectModel_StressRunIsClean()
    {
        var s = Catalog.FindScenario("wrap-readers")!;
        var report = s.RunStress(s.Defaults with { LastPkmap = 2 }, new StressOptions
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
    /// The stress driver records the series `hmc stress --html` draws for the pkmap scenarios and the temporary-mapping
    /// ones (one looping round each) alike, and they add up: each CPU's operations over the
    /// throughput intervals are its total, the intervals tile the run, and the per-CPU latency histograms hold every
    /// latency the summary counts.
    /// </summary>
    [Theory]
    [InlineData("few-slots")]
    [InlineData("typed-preempt")]
    public void The_throughput_series_and_latency_histograms_add_up_to_the_totals(string name)
    {
        var s = Catalog.FindScenario(name)!;
        var report = s.RunStress(s.Defaults, new StressOptions { Duration = TimeSpan.FromMilliseconds(400), WatchdogTimeout = TimeSpan.FromSeconds(20) },
            CancellationToken.None);
        Assert.True(report.Clean, $"{string.Join("; ", report.Violations)}\n{report.HangReport}");

        Assert.NotEmpty(report.Throughput);
        Assert.Equal(TimeSpan.Zero, report.Throughput[0].Start);
        for (var i = 1; i < report.Throughput.Count; i++) Assert.Equal(report.Throughput[i - 1].End, report.Throughput[i].Start);
        Assert.Equal(report.Elapsed, report.Throughput[^1].End);
        for (var cpu = 0; cpu < report.Parameters.Cpus; cpu++)
            Assert.Equal(report.OperationsPerCpu[cpu], report.Throughput.Sum(t => t.OperationsPerCpu[cpu]));

        Assert.Equal(Enumerable.Range(0, report.Parameters.Cpus), report.KmapLatencyPerCpu.Select(l => l.Cpu));
        Assert.Equal(report.KmapLatency.Count, report.KmapLatencyPerCpu.Sum(l => l.Buckets.Sum(b => b.Count)));
        Assert.All(report.KmapLatencyPerCpu, l => Assert.NotEmpty(l.Buckets));
        Assert.All(report.KmapLatencyPerCpu.SelectMany(l => l.Buckets), b => Assert.Equal(2 * b.LowerNs, b.UpperNs));
    }

    /// <summary>
    /// With H3 the CPUs deadlock for real (one waits for an IPI acknowledgement holding kmap_lock, the other spins on
    /// it with IRQs off); the watchdog reports who holds kmap_lock, the CPU waiting for the shootdown and the pkmap
    /// counts, and unwinds every thread, so the run returns. The test drives that deadlock (<see cref="DrivenIpiDeadlock"/>)
    /// instead of waiting for the wrap-readers workload to stumble on it: how soon a free-running workload does is a
    /// figure for <c>hmc stress wrap-readers --variant irq-off-lock-ipi-flush</c>, and that the workload reaches H3 at
    /// all is pinned, schedule by schedule, by <see cref="VariantTests"/>.
    /// </summary>
    [Fact]
    public void IpiDeadlock_IsReportedByTheWatchdog_WhichSaysSoInItsProgressFirst()
    {
        var progress = new Reports();
        var report = DrivenIpiDeadlock.Run(new StressOptions
        {
            Duration = TimeSpan.FromSeconds(10),   // reached only if no deadlock: the run then ends clean and the test fails
            WatchdogTimeout = TimeSpan.FromSeconds(1),
            Progress = progress,
        });
        Assert.True(report.HangReport is not null, $"no hang reported; violations: {string.Join("; ", report.Violations)}");
        Assert.Contains("kmap_lock: held by", report.HangReport);
        Assert.Contains("waiting for TLB-shootdown acks from CPU", report.HangReport);
        Assert.Contains("pkmap_count = [", report.HangReport);
        Assert.False(report.Clean);
        // The watchdog's progress report comes once, last, and names what the report's first line says.
        var fired = Assert.Single(progress.All, p => p.WatchdogFired is not null);
        Assert.Same(fired, progress.All[^1]);
        Assert.Equal(report.HangReport.Split('\n')[0], fired.WatchdogFired);
    }

    /// <summary>Progress collected as reported (synchronously, on the driver's thread).</summary>
    private sealed class Reports : IProgress<StressProgress>
    {
        private readonly List<StressProgress> _all = [];

        public IReadOnlyList<StressProgress> All
        {
            get
            {
                lock (_all) return _all.ToArray();
            }
        }

        public void Report(StressProgress value)
        {
            lock (_all) _all.Add(value);
        }
    }
}
