using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// Perturbed and free phases: they alternate from the round's start; in a free phase the perturber delays nothing
/// (but still draws, so a task's k-th decision is the same whatever the timing). Time is the test's own clock
/// (Stopwatch ticks it sets), never the wall clock.
/// </summary>
public sealed class PerturbationPhasesTests
{
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
}
