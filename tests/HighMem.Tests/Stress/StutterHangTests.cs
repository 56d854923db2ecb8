using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// Why the stutter finds lost wakeups that free-running stress cannot: a task whose wakeup was lost is healed by a
/// peer's next wake_up as long as the peer keeps running, so the driver sees nothing; in a pause the peer stops
/// between operations and the sleeper stays asleep, so the watchdog reports it. The workload below loses a wakeup at
/// the end of every peer operation by construction (a handshake, not timing), so the outcome depends on the stutter
/// alone. Every wait ends with the round's stop or the watchdog's abort.
/// </summary>
public sealed class StutterHangTests
{
    /// <summary>
    /// Each peer operation wakes the sleeper, then waits until it sleeps again — a sleep nobody will end but the peer's
    /// next operation: a lost wakeup that the next operation heals. The sleeper never reaches the end of an operation
    /// at a pause (it only ever leaves a sleep for the next one), as a task stuck after a lost wakeup does not, so the
    /// first pause parks the peer with the sleeper asleep. After its loop the peer wakes the sleeper until it has left
    /// its own, so the end of the run strands nobody.
    /// </summary>
    private sealed class HealedSleeper : IStressWorkload
    {
        public void RunRound(RunProbe probe, CancellationToken stop)
        {
            var machine = new Machine(new MachineConfig { Cpus = 2 });
            probe.BeginRound(machine);
            var queue = new WaitQueueHead(machine, "q");
            var sleeps = 0;
            var sleeperDone = 0;
            var sleeper = machine.StartTask("sleeper", 0, () =>
            {
                var me = KernelTask.Current!;
                for (var op = 0; probe.More(op); op++)
                {
                    me.SetCurrentState(TaskState.Uninterruptible);
                    queue.Add(me);
                    Interlocked.Increment(ref sleeps);
                    me.Schedule();
                    queue.Remove(me);
                    probe.Operation(me);
                }
                Volatile.Write(ref sleeperDone, 1);
            });
            void Until(Func<bool> condition)
            {
                while (!condition() && !stop.IsCancellationRequested)
                {
                    machine.ThrowIfAborted();
                    Thread.Yield();
                }
            }
            machine.StartTask("peer", 1, () =>
            {
                var me = KernelTask.Current!;
                for (var op = 0; probe.More(op); op++)
                {
                    Until(() => sleeper.Asleep);
                    var n = Volatile.Read(ref sleeps);
                    queue.WakeUp();
                    Until(() => Volatile.Read(ref sleeps) > n && sleeper.Asleep);   // asleep again, and nobody will wake it
                    probe.Operation(me);
                    probe.Boundary(me);
                }
                while (Volatile.Read(ref sleeperDone) == 0)
                {
                    machine.ThrowIfAborted();
                    queue.WakeUp();
                    Thread.Yield();
                }
            });
            machine.JoinAll();
        }
    }

    private static StressReport Run(StressPerturbation perturbation, TimeSpan duration, TimeSpan watchdog) =>
        StressDriver.Run("healed-sleeper", new HealedSleeper(), new ScenarioParameters { Cpus = 2, TasksPerCpu = 1 },
            new StressOptions { Duration = duration, WatchdogTimeout = watchdog, Perturbation = perturbation, Seed = 1 },
            CancellationToken.None);

    [Fact]
    public void Free_running_the_peer_heals_every_lost_wakeup_and_the_run_is_clean()
    {
        var report = Run(StressPerturbation.None, TimeSpan.FromSeconds(2), watchdog: TimeSpan.FromSeconds(10));   // generous: a loaded machine may starve a thread

        Assert.True(report.Clean, report.HangReport ?? string.Join("; ", report.Violations));
        Assert.True(report.Operations > 2);
    }

    [Fact]
    public void With_a_stutter_the_lost_wakeup_outlives_the_pause_and_the_watchdog_names_the_sleeper()
    {
        var stutter = new StressPerturbation { StutterRun = TimeSpan.FromMilliseconds(20), StutterPause = TimeSpan.FromMilliseconds(5) };

        var report = Run(stutter, TimeSpan.FromSeconds(60), watchdog: TimeSpan.FromSeconds(1));

        Assert.NotNull(report.HangReport);
        // The sleeper's own silence, or everyone's once the peer has parked: within one poll of the watchdog, either.
        Assert.Matches("^(task sleeper/CPU0 completed no operation|no operation completed) for 1.0 s", report.HangReport);
        Assert.Contains("task sleeper on CPU0: asleep (q)", report.HangReport);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(30), $"the hang took {report.Elapsed} to be reported");
    }
}
