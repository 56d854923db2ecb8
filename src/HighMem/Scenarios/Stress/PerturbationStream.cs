using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>What a perturbation does to a task at one point.</summary>
internal enum PerturbationAction
{
    /// <summary>Nothing: the task goes on at once.</summary>
    None,

    /// <summary>A short busy delay of <see cref="PerturbationDecision.Amount"/> <see cref="Thread.SpinWait"/> iterations.</summary>
    Delay,

    /// <summary>A hold: the task sleeps <see cref="PerturbationDecision.Amount"/> milliseconds.</summary>
    Hold,
}

/// <summary>One decision of a <see cref="PerturbationStream"/>.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Amount">Spin iterations of a delay, milliseconds of a hold, 0 for none.</param>
internal readonly record struct PerturbationDecision(PerturbationAction Action, int Amount)
{
    /// <summary>Go on at once.</summary>
    public static PerturbationDecision Nothing => default;
}

/// <summary>
/// One task's seeded sequence of perturbation decisions: a SplitMix64 generator (Steele, Lea and Flood, OOPSLA 2014)
/// seeded from the run's seed, the round and the task, so the k-th decision of a task in a round is the same in every
/// run with that seed, whatever the other tasks do. Decisions are drawn only at enabled points, so which points are
/// enabled changes the sequence, the timing of the run does not. Used by its task's thread alone.
/// </summary>
internal sealed class PerturbationStream
{
    private readonly StressPerturbation _options;
    private ulong _state;

    /// <summary>The stream of task <paramref name="task"/> (its index on the machine) in round <paramref name="round"/> of a run seeded <paramref name="seed"/>.</summary>
    public PerturbationStream(StressPerturbation options, ulong seed, long round, int task)
    {
        _options = options;
        _state = Mix(seed) ^ Mix(0xA076_1D64_78BD_642FUL * (ulong)(round + 1)) ^ Mix(0xE703_7ED1_A0B4_28DBUL * (ulong)(task + 1));
    }

    /// <summary>The decision at <paramref name="point"/>: nothing when its group is not enabled (and no draw is made).</summary>
    public PerturbationDecision Next(PerturbationPoint point)
    {
        if ((_options.Points & Group(point)) == 0) return PerturbationDecision.Nothing;
        var u = NextDouble();
        if (u < _options.HoldChance) return new(PerturbationAction.Hold, 1 + NextInt((int)_options.HoldMax.TotalMilliseconds));
        if (u < _options.HoldChance + _options.DelayChance) return new(PerturbationAction.Delay, 1 + NextInt(_options.DelaySpins));
        return PerturbationDecision.Nothing;
    }

    /// <summary>A value in [0, <paramref name="count"/>) (a migration's CPU).</summary>
    public int NextInt(int count) => (int)(NextULong() % (ulong)count);

    /// <summary>The group a point belongs to.</summary>
    public static PerturbationPoints Group(PerturbationPoint point) => point switch
    {
        PerturbationPoint.LockAcquired or PerturbationPoint.BeforeUnlock => PerturbationPoints.Inside,
        PerturbationPoint.BeforeLock or PerturbationPoint.AfterUnlock => PerturbationPoints.Outside,
        PerturbationPoint.BeforeSchedule or PerturbationPoint.AfterSchedule => PerturbationPoints.Schedule,
        _ => PerturbationPoints.WakeUp,
    };

    private double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    private ulong NextULong() => Mix(_state += 0x9E37_79B9_7F4A_7C15UL);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
