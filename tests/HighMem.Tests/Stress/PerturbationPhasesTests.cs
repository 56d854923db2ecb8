using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// Perturbed and free phases: they alternate from the round's start; in a free phase the perturber delays nothing
/// (but still draws, so a task's k-th decision is the same whatever the timing), no stutter pause begins, and a task
/// sitting a burst out resumes. Time is the test's own clock (Stopwatch ticks it sets), never the wall clock; the
/// tasks synchronise with the test through the probe's state; every wait is bounded.
/// </summary>
public sealed class PerturbationPhasesTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly StressPerturbation Phased = new()
    {
        DelayChance = 0.5, DelaySpins = 1, PerturbedPhase = TimeSpan.FromMilliseconds(300), FreePhase = TimeSpan.FromMilliseconds(100),
    };

    private static long Ticks(double milliseconds) => PerturbationPhases.Ticks(TimeSpan.FromMilliseconds(milliseconds));

    [Theory]
    [InlineData(0, false)]
    [InlineData(299.9, false)]
    [InlineData(300, true)]
    [InlineData(399.9, true)]
    [InlineData(400, false)]
    [InlineData(700, true)]
    [InlineData(100_000, false)]   // 250 whole periods: the start of a perturbed phase
    public void Phases_alternate_from_the_rounds_start_perturbed_first(double milliseconds, bool free)
    {
        var phases = new PerturbationPhases(Phased, () => Ticks(milliseconds));

        Assert.Equal(free, phases.Free);
    }

    [Fact]
    public void Without_free_phases_a_round_is_perturbed_throughout()
    {
        foreach (var ms in new[] { 0.0, 300, 350, 1e6 })
            Assert.False(new PerturbationPhases(StressPerturbation.Standard with { PerturbedPhase = TimeSpan.Zero, FreePhase = TimeSpan.Zero }, () => Ticks(ms)).Free);
    }

    [Fact]
    public void In_a_free_phase_the_perturber_delays_nothing_but_draws_so_the_perturbed_phase_after_it_makes_the_same_decisions()
    {
        const int FreePoints = 40, PerturbedPoints = 60;
        var now = Ticks(350);   // free
        var machine = new Machine(new MachineConfig { Cpus = 1 });
        var perturber = new StressPerturber(Phased, seed: 3, round: 0, machine, tasks: 1, new PerturbationPhases(Phased, () => Volatile.Read(ref now)));
        long delaysInFree = -1;
        machine.StartTask("t", 0, () =>
        {
            var task = KernelTask.Current!;
            for (var i = 0; i < FreePoints; i++) perturber.At(PerturbationPoint.BeforeLock, task);
            delaysInFree = machine.Counters["perturb.delays"];
            Volatile.Write(ref now, Ticks(400));   // perturbed again
            for (var i = 0; i < PerturbedPoints; i++) perturber.At(PerturbationPoint.BeforeLock, task);
        });
        machine.JoinAll();

        var stream = new PerturbationStream(Phased, seed: 3, round: 0, task: 0);
        var drawn = Enumerable.Range(0, FreePoints + PerturbedPoints).Select(_ => stream.Next(PerturbationPoint.BeforeLock).Action).ToList();
        Assert.Equal(0, delaysInFree);
        Assert.True(drawn.Take(FreePoints).Any(a => a == PerturbationAction.Delay), "the free phase would have delayed: nothing to drop");
        Assert.Equal(drawn.Skip(FreePoints).Count(a => a == PerturbationAction.Delay), machine.Counters["perturb.delays"]);
    }

    /// <summary>Three tasks looping over empty operations under a stutter of 10 ms / 1 ms, on the test's clock.</summary>
    private sealed class Round : IDisposable
    {
        public const int Tasks = 3;
        private readonly CancellationTokenSource _stop = new();
        private long _now;

        public Round(ulong seed)
        {
            var options = Phased with
            {
                DelayChance = 0, StutterRun = TimeSpan.FromMilliseconds(10), StutterPause = TimeSpan.FromMilliseconds(1),
            };
            Machine = new Machine(new MachineConfig { Cpus = Tasks });
            Probe = new RunProbe(Tasks, Tasks, new StressRecorder(Tasks, TimeSpan.Zero), options, seed, () => Volatile.Read(ref _now));
            Probe.LoopUntil(_stop.Token);
            Probe.BeginRound(Machine);
            Machine.StartTasks("t", 1, _ =>
            {
                for (var op = 0; Probe.More(op); op++)
                {
                    Probe.Operation(KernelTask.Current!);
                    Probe.Boundary(KernelTask.Current!);
                }
            });
        }

        public Machine Machine { get; }

        public RunProbe Probe { get; }

        public long Pauses => Machine.Counters["perturb.pauses"];

        public void SetTime(double milliseconds) => Volatile.Write(ref _now, Ticks(milliseconds));

        /// <summary>True once every task in <paramref name="tasks"/> has completed <paramref name="more"/> operations after <paramref name="since"/>.</summary>
        public bool Progressed(long[] since, IEnumerable<int> tasks, int more = 20) => tasks.All(t => Probe.HeartbeatOfTask(t) >= since[t] + more);

        public long[] Heartbeats() => Enumerable.Range(0, Tasks).Select(Probe.HeartbeatOfTask).ToArray();

        public void Dispose()
        {
            _stop.Cancel();
            var joiner = new Thread(Machine.JoinAll);
            joiner.Start();
            Assert.True(joiner.Join(Bound), "the tasks did not end");
            _stop.Dispose();
        }
    }

    [Fact]
    public void No_pause_begins_in_a_free_phase_and_a_task_sitting_a_burst_out_resumes_when_one_begins()
    {
        using var round = new Round(seed: 1);
        var all = Enumerable.Range(0, Round.Tasks).ToArray();

        // A pause: after 10 ms of the round's time every task parks at its next boundary; at 12 ms it ends, and each
        // task sits the next burst out with chance 1/2, never all of them (the seed makes at least one).
        round.SetTime(11);
        Assert.True(SpinWait.SpinUntil(() => round.Pauses == 1 && all.All(round.Probe.IsParked), Bound), "no pause parked every task");
        round.SetTime(12);
        Assert.True(SpinWait.SpinUntil(() => round.Pauses == 1 && all.Any(round.Probe.SitsOut), Bound), "the pause did not end with a bench");
        var benched = all.Where(round.Probe.SitsOut).ToArray();
        var running = all.Except(benched).ToArray();
        Assert.NotEmpty(running);
        var before = round.Heartbeats();
        Assert.True(SpinWait.SpinUntil(() => round.Progressed(before, running), Bound), "the burst did not run");
        Assert.All(benched, t => Assert.True(round.Probe.SitsOut(t) && round.Probe.IsParked(t), $"task {t} left its bench in a perturbed phase"));

        // 350 ms: long past the next pause's time (22 ms), but in the first free phase (300-400 ms).
        round.SetTime(350);
        before = round.Heartbeats();
        Assert.True(SpinWait.SpinUntil(() => round.Progressed(before, all), Bound),
            $"not every task ran in the free phase (task(s) {string.Join(", ", benched)} sat the burst out before it)");
        Assert.Equal(1, round.Pauses);
        Assert.DoesNotContain(all, round.Probe.SitsOut);

        // 400 ms: perturbed again, and past the pause's time: the next boundary pauses.
        round.SetTime(400);
        Assert.True(SpinWait.SpinUntil(() => round.Pauses == 2, Bound), "no pause began once the free phase was over");
    }
}
