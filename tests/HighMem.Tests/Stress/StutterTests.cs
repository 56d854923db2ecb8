using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// The stutter's pauses on real threads: a pause parks every task that reaches the end of an operation and ends
/// only once all have (so one that cannot get there, as after a lost wakeup, keeps the others parked — alive to the
/// watchdog — until it does); the round's stop releases the parked tasks whatever happens. The tasks synchronise with
/// the test through events and the probe's state, never sleeps; every wait is bounded.
/// </summary>
public sealed class StutterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const int Tasks = 3;

    private sealed class Round : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Round()
        {
            var options = new StressPerturbation { StutterRun = TimeSpan.FromMilliseconds(1), StutterPause = TimeSpan.FromMilliseconds(1) };
            Machine = new Machine(new MachineConfig { Cpus = Tasks });
            Probe = new RunProbe(Tasks, Tasks, new StressRecorder(Tasks, TimeSpan.Zero), options, seed: 1);
            Probe.LoopUntil(_stop.Token);
            Probe.BeginRound(Machine);
            // Task 0 stops in its second operation until Release; the others loop, meeting the stutter between operations.
            Machine.StartTasks("t", 1, index =>
            {
                for (var op = 0; Probe.More(op); op++)
                {
                    if (index == 0 && op == 1)
                    {
                        Held.Set();
                        if (!Release.Wait(Bound)) throw new TimeoutException("never released");
                    }
                    Probe.Operation(KernelTask.Current!);
                    Probe.Boundary(KernelTask.Current!);
                }
            });
        }

        public Machine Machine { get; }

        public RunProbe Probe { get; }

        public ManualResetEventSlim Held { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public bool OthersParked => Probe.IsParked(1) && Probe.IsParked(2);

        public void Stop() => _stop.Cancel();

        public void Join()
        {
            var joiner = new Thread(Machine.JoinAll);
            joiner.Start();
            Assert.True(joiner.Join(Bound), "the tasks did not end");
        }

        public void Dispose()
        {
            Release.Set();
            _stop.Cancel();
            _stop.Dispose();
        }
    }

    [Fact]
    public void A_pause_keeps_the_others_parked_while_one_task_is_still_in_its_operation_and_ends_once_it_arrives()
    {
        using var round = new Round();
        Assert.True(round.Held.Wait(Bound), "task 0 never reached its held operation");

        Assert.True(SpinWait.SpinUntil(() => round.OthersParked, Bound), "the others never parked in a pause");
        Assert.False(round.Probe.IsParked(0));
        var pauses = round.Machine.Counters["perturb.pauses"];

        round.Release.Set();
        Assert.True(SpinWait.SpinUntil(() => round.Machine.Counters["perturb.pauses"] > pauses, Bound),
            "the pause did not end once every task had arrived, or no burst followed it");
        round.Stop();
        round.Join();
    }

    [Fact]
    public void The_rounds_stop_releases_the_parked_tasks_even_while_one_never_arrives()
    {
        using var round = new Round();
        Assert.True(round.Held.Wait(Bound), "task 0 never reached its held operation");
        Assert.True(SpinWait.SpinUntil(() => round.OthersParked, Bound), "the others never parked in a pause");

        round.Stop();

        Assert.True(SpinWait.SpinUntil(() => round.Machine.Tasks[1].Finished && round.Machine.Tasks[2].Finished, Bound),
            "the parked tasks did not end at the stop");
        Assert.False(round.Machine.Tasks[0].Finished);
        round.Release.Set();
        round.Join();
    }

    [Fact]
    public void An_aborted_machine_unwinds_its_parked_tasks()
    {
        using var round = new Round();
        Assert.True(round.Held.Wait(Bound), "task 0 never reached its held operation");
        Assert.True(SpinWait.SpinUntil(() => round.OthersParked, Bound), "the others never parked in a pause");

        round.Machine.Abort("watchdog: no progress");

        Assert.True(SpinWait.SpinUntil(() => round.Machine.Tasks[1].Finished && round.Machine.Tasks[2].Finished, Bound),
            "the parked tasks did not unwind");
        round.Release.Set();
        round.Join();   // the abort is not a task's failure
    }
}
