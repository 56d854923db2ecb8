using System.Diagnostics;
using System.Text;
using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Scenarios.Workloads;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// Runs a scenario natively: one real (background) thread per task looping over its operations for the duration,
/// invariants checked under kmap_lock periodically and at the end, and a watchdog that, when no operation completes
/// for the watchdog timeout, writes a hang report and aborts the machine so every model thread unwinds.
/// </summary>
internal static class StressRunner
{
    public static StressReport Run(PkmapScenario scenario, ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = scenario.CreateModel(parameters, checkInvariantsOnUnlock: false);
        var machine = model.Machine;
        var tasks = parameters.Cpus * parameters.TasksPerCpu;
        var ops = new long[tasks];
        var recorder = new StressRecorder(parameters.Cpus, options.Duration);
        var violations = new List<string>();
        var stop = 0;
        using var finished = new CountdownEvent(tasks);

        model.KmapLatencyObserver = (task, ns) => recorder.Latency(task.Cpu.Id, ns);
        var clock = Stopwatch.StartNew();
        machine.StartTasks("stress", parameters.TasksPerCpu, index =>
        {
            try
            {
                // Every task completes at least one operation, however late its thread starts.
                var op = 0;
                do
                {
                    scenario.Operation(model, parameters, index, op++);
                    Volatile.Write(ref ops[index], ops[index] + 1);
                }
                while (Volatile.Read(ref stop) == 0);
            }
            catch (Exception e) when (e is not MachineAbortedException)
            {
                lock (violations) violations.Add($"{KernelTask.Current}: {e.Message}");
                machine.Abort(e.Message);
                throw;   // the task ends here; its thread records the exception, nobody joins it
            }
            finally
            {
                finished.Signal();
            }
        });

        // Periodic checks run on their own thread and queue for kmap_lock fairly like everyone else; the watchdog
        // stays on this thread, so a hung lock holder cannot stop it (the abort unwinds the checker too).
        long checks = 0;
        using var stopChecks = new ManualResetEventSlim(false);
        var checker = new Thread(() =>
        {
            try
            {
                while (!stopChecks.Wait(options.CheckInterval))
                {
                    var violation = CheckUnderLock(model);
                    Interlocked.Increment(ref checks);
                    if (violation is null) continue;
                    lock (violations) violations.Add(violation);
                    machine.Abort(violation);
                }
            }
            catch (MachineAbortedException)
            {
                // The run was stopped while this thread queued for kmap_lock.
            }
        }) { IsBackground = true, Name = "stress-invariants" };
        checker.Start();

        string? hang = null;
        var lastSeen = new long[tasks];
        var lastChange = new TimeSpan[tasks];
        var lastReport = Stopwatch.StartNew();
        while (clock.Elapsed < options.Duration && !cancellation.IsCancellationRequested && !machine.Aborted)
        {
            finished.Wait(TimeSpan.FromMilliseconds(20));
            var total = 0L;
            var stalled = -1;
            for (var t = 0; t < tasks; t++)
            {
                var seen = Volatile.Read(ref ops[t]);
                total += seen;
                if (seen != lastSeen[t])
                {
                    lastSeen[t] = seen;
                    lastChange[t] = clock.Elapsed;
                }
                else if (clock.Elapsed - lastChange[t] >= options.WatchdogTimeout && !machine.Tasks[t].Finished)
                {
                    stalled = t;
                }
            }
            recorder.Sample(clock.Elapsed, OperationsPerCpu(machine, ops, parameters.Cpus));
            if (stalled >= 0)
            {
                hang = $"task {machine.Tasks[stalled]} completed no operation for {options.WatchdogTimeout.TotalSeconds:F1} s\n" +
                       DescribeHang(model);
                machine.Abort("watchdog: no progress");
                break;
            }
            if (options.Progress is { } progress && lastReport.Elapsed >= TimeSpan.FromMilliseconds(500))
            {
                progress.Report(new StressProgress(clock.Elapsed, total, total / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
                lastReport.Restart();
            }
        }
        Volatile.Write(ref stop, 1);
        stopChecks.Set();
        var drained = finished.Wait(options.WatchdogTimeout);
        if (!checker.Join(options.WatchdogTimeout)) machine.Abort("invariant checker did not stop");
        var elapsed = clock.Elapsed;
        if (!drained && hang is null)
        {
            hang = $"tasks did not stop within {options.WatchdogTimeout.TotalSeconds:F1} s\n" + DescribeHang(model);
            machine.Abort("watchdog: tasks did not stop");
        }
        if (drained && !machine.Aborted)
        {
            Interlocked.Increment(ref checks);
            if (PkmapInvariants.CheckQuiescent(model.Pkmap) is { } v) violations.Add(v);
        }

        var perCpu = OperationsPerCpu(machine, ops, parameters.Cpus);
        recorder.Finish(elapsed, perCpu);
        return new StressReport
        {
            Scenario = scenario.Name,
            Parameters = parameters,
            Elapsed = elapsed,
            Operations = perCpu.Sum(),
            OperationsPerCpu = perCpu,
            KmapLatency = recorder.LatencySummary(),
            Throughput = recorder.Throughput,
            KmapLatencyPerCpu = recorder.LatencyPerCpu(),
            Counters = Counters(model),
            InvariantChecks = Interlocked.Read(ref checks),
            Violations = violations.ToArray(),
            HangReport = hang,
            Canceled = cancellation.IsCancellationRequested,
        };
    }

    private static long[] OperationsPerCpu(Machine machine, long[] opsPerTask, int cpus)
    {
        var perCpu = new long[cpus];
        for (var t = 0; t < opsPerTask.Length; t++) perCpu[machine.Tasks[t].Cpu.Id] += Volatile.Read(ref opsPerTask[t]);
        return perCpu;
    }

    /// <summary>Takes kmap_lock (from outside any CPU, in turn) and checks the invariants.</summary>
    private static string? CheckUnderLock(HighMemModel model)
    {
        var kmapLock = model.Pkmap.KmapLock;
        kmapLock.Lock();
        try
        {
            return PkmapInvariants.Check(model.Pkmap);
        }
        finally
        {
            kmapLock.Unlock();
        }
    }

    private static IReadOnlyDictionary<string, long> Counters(HighMemModel model)
    {
        var counters = new Dictionary<string, long>(model.Machine.Counters.Snapshot())
        {
            ["kmap_lock.acquisitions"] = model.Pkmap.KmapLock.Acquisitions,
            ["kmap_lock.contended"] = model.Pkmap.KmapLock.Contended,
            ["kmap_lock.spins"] = model.Pkmap.KmapLock.Spins,
        };
        foreach (var name in new[] { "pkmap_map_wait.sleeps", "pkmap.wraps", "pkmap.flushes", "tlb.shootdowns", "tlb.ipis", "irqs" })
            counters.TryAdd(name, 0);
        return counters;
    }

    private static string DescribeHang(HighMemModel model)
    {
        var pkmap = model.Pkmap;
        var sb = new StringBuilder();
        var holder = pkmap.KmapLock.Owner;
        sb.AppendLine($"kmap_lock: {(holder is not null ? $"held by {holder} ({holder.Activity ?? "?"})" : pkmap.KmapLock.IsLocked ? "held outside any CPU" : "free")}");
        foreach (var cpu in model.Machine.Cpus) sb.AppendLine(cpu.Describe());
        foreach (var task in model.Machine.Tasks)
        {
            var where = task.Asleep ? $"asleep in {task.State}{(task.WaitingOn is null ? "" : " on " + task.WaitingOn)}" : task.Finished ? "finished" : "running/spinning";
            sb.AppendLine($"task {task}: {where}; {task.Activity ?? "idle"}");
        }
        var counts = pkmap.PkmapCounts();
        sb.AppendLine($"pkmap_count = [{string.Join(", ", counts)}]; histogram: " +
                      string.Join(", ", counts.GroupBy(c => Math.Min(c, 2)).OrderBy(g => g.Key)
                          .Select(g => $"{(g.Key == 2 ? "≥2" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {g.Count()}")));
        if (PkmapDeadlockDiagnosis.Explain(pkmap) is { } diagnosis)
            sb.AppendLine($"diagnosis (a snapshot: tasks still running may change it): {diagnosis}");
        return sb.ToString().TrimEnd();
    }
}
