using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Stress;

/// <summary>
/// The perturbation's options and its seeded decisions: valid presets and one-line refusals; a task's sequence of
/// decisions is a function of the seed, the round and the task alone (the same seed repeats it, another seed does
/// not), and honours the chances, bounds and enabled points. No wall clock: the decisions are compared, not run.
/// </summary>
public sealed class PerturbationDecisionTests
{
    private static readonly PerturbationPoint[] Points = Enum.GetValues<PerturbationPoint>();

    private static List<PerturbationDecision> Decisions(StressPerturbation options, ulong seed, long round, int task, int count = 5000)
    {
        var stream = new PerturbationStream(options, seed, round, task);
        return Enumerable.Range(0, count).Select(i => stream.Next(Points[i % Points.Length])).ToList();
    }

    [Fact]
    public void None_and_the_standard_preset_are_valid_and_none_perturbs_nothing()
    {
        Assert.Null(StressPerturbation.None.Problem());
        Assert.Null(StressPerturbation.Standard.Problem());
        Assert.True(StressPerturbation.None.IsNone);
        Assert.Equal((true, true, 2), (StressPerturbation.Standard.Delays, StressPerturbation.Standard.Stutters, StressPerturbation.Standard.TasksPerCpu));
        Assert.Equal("none", StressPerturbation.None.ToString());
    }

    public static TheoryData<StressPerturbation, string> Refused => new()
    {
        { new() { DelayChance = 1.5 }, "the delay chance must be in [0, 1], found 1.5" },
        { new() { HoldChance = double.NaN }, "the hold chance must be in [0, 1], found NaN" },
        { new() { DelayChance = 0.7, HoldChance = 0.4 }, "the delay and hold chances add up to more than 1 (1.1)" },
        { new() { DelaySpins = 0 }, "delay spins must be 1 to 100000, found 0" },
        { new() { HoldMax = TimeSpan.FromMilliseconds(0.5) }, "the longest hold must be 1ms to 1s, found 0.5ms" },
        { new() { StutterRun = TimeSpan.FromMilliseconds(100) }, "the stutter's pause must be more than 0 and at most 1s, found 0ms" },
        { new() { StutterPause = TimeSpan.FromMilliseconds(10) }, "a stutter pause needs a stutter run (RUN/PAUSE)" },
        { new() { TasksPerCpu = 0 }, "tasks per CPU must be 1 to 16, found 0" },
        { new() { PerturbedPhase = TimeSpan.FromMilliseconds(-1), FreePhase = TimeSpan.FromMilliseconds(1) }, "a phase must not be negative" },
        { new() { PerturbedPhase = TimeSpan.FromSeconds(1), FreePhase = TimeSpan.FromMinutes(2) }, "a phase must be at most 1m" },
        { new() { FreePhase = TimeSpan.FromMilliseconds(100) }, "free phases need perturbed phases between them (PERTURBED/FREE, both more than 0)" },
        { new() { PerturbedPhase = TimeSpan.FromMilliseconds(300) }, "a perturbed phase needs a free phase (PERTURBED/FREE)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Bad_values_are_refused_in_one_line(StressPerturbation options, string problem) => Assert.Equal(problem, options.Problem());

    [Fact]
    public void The_same_seed_round_and_task_give_the_same_decisions()
    {
        var options = StressPerturbation.Standard with { DelayChance = 0.3, HoldChance = 0.1 };

        Assert.Equal(Decisions(options, seed: 7, round: 0, task: 2), Decisions(options, seed: 7, round: 0, task: 2));
    }

    [Fact]
    public void Another_seed_another_round_or_another_task_give_other_decisions()
    {
        var options = StressPerturbation.Standard with { DelayChance = 0.3, HoldChance = 0.1 };
        var reference = Decisions(options, seed: 7, round: 0, task: 2);

        Assert.NotEqual(reference, Decisions(options, seed: 8, round: 0, task: 2));
        Assert.NotEqual(reference, Decisions(options, seed: 7, round: 1, task: 2));
        Assert.NotEqual(reference, Decisions(options, seed: 7, round: 0, task: 3));
    }

    [Fact]
    public void Decisions_honour_the_chances_and_bounds()
    {
        var options = new StressPerturbation { DelayChance = 0.2, HoldChance = 0.05, DelaySpins = 50, HoldMax = TimeSpan.FromMilliseconds(3) };
        var decisions = Decisions(options, seed: 1, round: 0, task: 0, count: 20_000);

        var delays = decisions.Where(d => d.Action == PerturbationAction.Delay).ToList();
        var holds = decisions.Where(d => d.Action == PerturbationAction.Hold).ToList();
        Assert.InRange(delays.Count, 3_600, 4_400);   // 20 % of 20,000, far beyond any seed's deviation
        Assert.InRange(holds.Count, 800, 1_200);
        Assert.All(delays, d => Assert.InRange(d.Amount, 1, 50));
        Assert.All(holds, d => Assert.InRange(d.Amount, 1, 3));
        Assert.Equal([1, 2, 3], holds.Select(d => d.Amount).Distinct().Order());
        Assert.All(decisions.Where(d => d.Action == PerturbationAction.None), d => Assert.Equal(0, d.Amount));
    }

    [Fact]
    public void A_point_outside_the_enabled_groups_is_never_perturbed_and_draws_nothing()
    {
        var options = new StressPerturbation { DelayChance = 1, Points = PerturbationPoints.Inside };
        var stream = new PerturbationStream(options, 3, 0, 0);
        var twin = new PerturbationStream(options, 3, 0, 0);

        Assert.Equal(PerturbationDecision.Nothing, stream.Next(PerturbationPoint.BeforeLock));
        Assert.Equal(PerturbationDecision.Nothing, stream.Next(PerturbationPoint.AfterSchedule));
        Assert.Equal(PerturbationDecision.Nothing, stream.Next(PerturbationPoint.BeforeWakeUp));
        Assert.Equal(twin.Next(PerturbationPoint.LockAcquired), stream.Next(PerturbationPoint.LockAcquired));   // no draw was spent above
        Assert.Equal(PerturbationAction.Delay, stream.Next(PerturbationPoint.BeforeUnlock).Action);
    }

    [Theory]
    [InlineData(PerturbationPoint.LockAcquired, PerturbationPoints.Inside)]
    [InlineData(PerturbationPoint.BeforeUnlock, PerturbationPoints.Inside)]
    [InlineData(PerturbationPoint.BeforeLock, PerturbationPoints.Outside)]
    [InlineData(PerturbationPoint.AfterUnlock, PerturbationPoints.Outside)]
    [InlineData(PerturbationPoint.BeforeSchedule, PerturbationPoints.Schedule)]
    [InlineData(PerturbationPoint.AfterSchedule, PerturbationPoints.Schedule)]
    [InlineData(PerturbationPoint.BeforeWakeUp, PerturbationPoints.WakeUp)]
    [InlineData(PerturbationPoint.AfterWakeUp, PerturbationPoints.WakeUp)]
    public void Each_point_belongs_to_its_group(PerturbationPoint point, PerturbationPoints group) =>
        Assert.Equal(group, PerturbationStream.Group(point));

    [Fact]
    public void Migration_choices_repeat_with_the_seed_and_stay_in_range()
    {
        var a = new PerturbationStream(StressPerturbation.Standard, 5, 0, 1);
        var b = new PerturbationStream(StressPerturbation.Standard, 5, 0, 1);
        var choices = Enumerable.Range(0, 1000).Select(_ => a.NextInt(3)).ToList();

        Assert.Equal(choices, Enumerable.Range(0, 1000).Select(_ => b.NextInt(3)));
        Assert.Equal([0, 1, 2], choices.Distinct().Order());
    }
}
