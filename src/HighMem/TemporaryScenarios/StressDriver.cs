using System.Diagnostics;
using System.Text;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.TemporaryScenarios;

/// <summary>
/// Runs a scenario natively, round after round on real threads, until the duration is spent or it is cancelled.
/// Each round runs on its own background thread; a watchdog that sees no progress for the timeout aborts the
/// machine, writes a hang report and abandons the round, so the process never hangs.
/// </summary>
internal static class StressDriver
{
    private const int MaxViolations = 20;

    public static StressReport Run(TemporaryScenario scenario, ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        var recorder = new StressRecorder(parameters.Cpus, options.Duration);
        var probe = new RunProbe(parameters.Cpus, recorder);
        var violations = new List<string>();
        var counters = new Dictionary<string, long>();
        string? hang = null;
        long rounds = 0;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        while (clock.Elapsed < options.Duration && !cancellation.IsCancellationRequested && hang is null && violations.Count < MaxViolations)
        {
            Exception? error = null;
            var round = new Thread(() =>
            {
                try
                {
                    scenario.Run(parameters, probe);
                }
                catch (Exception e)
                {
                    error = e;
                }
            }) { IsBackground = true, Name = $"{scenario.Name} round {rounds}" };
            round.Start();
            hang = Watch(round, probe, recorder, options, clock, ref lastReport);
            recorder.Sample(clock.Elapsed, probe.OperationsPerCpu);   // rounds may be shorter than the watch's poll
            rounds++;
            if (error is not null and not MachineAbortedException) violations.Add(Describe(error));
            if (probe.Machine is { } m)
                foreach (var (k, v) in m.Counters.Snapshot()) counters[k] = counters.GetValueOrDefault(k) + v;
        }
        counters["rounds"] = rounds;
        var ops = probe.OperationsPerCpu;
        var elapsed = clock.Elapsed;
        recorder.Finish(elapsed, ops);
        return new StressReport
        {
            Scenario = scenario.Name,
            Parameters = parameters,
            Elapsed = elapsed,
            Operations = ops.Sum(),
            OperationsPerCpu = ops,
            KmapLatency = recorder.LatencySummary(),
            Throughput = recorder.Throughput,
            KmapLatencyPerCpu = recorder.LatencyPerCpu(),
            Counters = counters,
            InvariantChecks = probe.InvariantChecks,
            Violations = violations,
            HangReport = hang,
            Canceled = cancellation.IsCancellationRequested,
        };
    }

    // Waits for the round; returns a hang report if it stopped making progress.
    private static string? Watch(Thread round, RunProbe probe, StressRecorder recorder, StressOptions options, Stopwatch clock, ref TimeSpan lastReport)
    {
        var slice = TimeSpan.FromMilliseconds(20);
        var seen = probe.Progress;
        var since = clock.Elapsed;
        while (!round.Join(slice))
        {
            recorder.Sample(clock.Elapsed, probe.OperationsPerCpu);
            if (options.Progress is { } progress && clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(500))
            {
                lastReport = clock.Elapsed;
                var done = probe.OperationsPerCpu.Sum();
                progress.Report(new StressProgress(clock.Elapsed, done, done / Math.Max(1e-9, clock.Elapsed.TotalSeconds)));
            }
            var now = probe.Progress;
            if (now != seen)
            {
                seen = now;
                since = clock.Elapsed;
                continue;
            }
            if (clock.Elapsed - since < options.WatchdogTimeout) continue;
            var report = HangReport(probe.Machine, options.WatchdogTimeout);
            probe.Machine?.Abort("watchdog: no progress");
            round.Join(TimeSpan.FromSeconds(1));   // abandoned if it still does not unwind (background thread)
            return report;
        }
        return null;
    }

    private static string HangReport(Machine? machine, TimeSpan timeout)
    {
        var sb = new StringBuilder($"no operation completed for {timeout.TotalSeconds:F1} s");
        if (machine is null) return sb.ToString();
        foreach (var cpu in machine.Cpus) sb.Append("\n  ").Append(cpu.Describe());
        foreach (var t in machine.Tasks)
            sb.Append($"\n  task {t.Name} on CPU{t.Cpu.Id}: {(t.Finished ? "finished" : t.Asleep ? $"asleep ({t.WaitingOn ?? "?"})" : "running")}");
        return sb.ToString();
    }

    private static string Describe(Exception e) => e switch
    {
        KernelBugException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
