using System.Text;
using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Permanent;

/// <summary>
/// A pkmap scenario under the <see cref="StressDriver"/>: one round for the whole run, each task looping over the
/// scenario's operations until stopped, the pkmap invariants checked under kmap_lock periodically and at the end.
/// </summary>
internal sealed class PkmapStressWorkload(PkmapScenario scenario, ScenarioParameters parameters, StressOptions options) : IStressWorkload
{
    /// <inheritdoc />
    public void RunRound(RunProbe probe, CancellationToken stop)
    {
        var model = scenario.CreateModel(parameters, checkInvariantsOnUnlock: false);
        var machine = model.Machine;
        model.KmapLatencyObserver = (task, ns) => probe.KmapLatency(task.Cpu.Id, ns);
        probe.BeginRound(new StressRound(machine, () => Counters(model), () => DescribeHang(model)));
        using var finished = new CountdownEvent(parameters.Cpus * parameters.TasksPerCpu);
        var recorded = new HashSet<Exception>();   // the failures the tasks' bodies recorded themselves
        machine.StartTasks("stress", parameters.TasksPerCpu, index =>
        {
            try
            {
                // Every task completes at least one operation, however late its thread starts.
                var op = 0;
                do
                {
                    scenario.Operation(model, parameters, index, op++);
                    probe.Operation(KernelTask.Current!);
                    probe.Boundary(KernelTask.Current!);   // an operation holds nothing once done: a stutter pause parks the task here
                }
                while (!stop.IsCancellationRequested);
            }
            catch (Exception e) when (e is not MachineAbortedException)
            {
                probe.Violation($"{KernelTask.Current}: {e.Message}");
                lock (recorded) recorded.Add(e);
                machine.Abort(e.Message);
                throw;   // the task ends here; its thread records the exception for the join below
            }
            finally
            {
                finished.Signal();
            }
        });

        // The round's own thread checks the invariants periodically while it waits for the tasks, queueing for kmap_lock
        // fairly like everyone else; nothing the round starts outlives it (a separate checker thread, starved of a CPU
        // by the spinning tasks, could start after the round had ended and touch what the driver had disposed). The
        // watchdog stays on the driver's thread, so a hung lock holder cannot stop it: its abort ends this wait too.
        while (!finished.Wait(options.CheckInterval))
        {
            if (stop.IsCancellationRequested || machine.Aborted) continue;
            string? violation;
            try
            {
                violation = CheckUnderLock(model);
            }
            catch (MachineAbortedException)
            {
                continue;   // the run was stopped while the check queued for kmap_lock; the tasks unwind
            }
            probe.Checked();
            if (violation is null) continue;
            probe.Violation(violation);
            machine.Abort(violation);
        }
        if (ExitFailure(machine, recorded) is { } exit) probe.Violation(exit);
        if (machine.Aborted) return;
        probe.Checked();
        if (machine.QuiescentViolation() is { } v) probe.Violation(v);
    }

    /// <summary>
    /// Joins the tasks — their bodies have all returned, so this waits only for the exit checks that follow (after
    /// <c>finished</c> was signalled) — and returns the failure of the first that failed after its body, which no body
    /// recorded: a task's exit check.
    /// </summary>
    private static string? ExitFailure(Machine machine, HashSet<Exception> recorded)
    {
        try
        {
            machine.JoinAll();
            return null;
        }
        catch (Exception e)
        {
            lock (recorded) return recorded.Contains(e) ? null : e.Message;
        }
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
