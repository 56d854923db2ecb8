using System.Diagnostics;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// The perturbed and free phases of one stress round (<see cref="StressPerturbation.PerturbedPhase"/>,
/// <see cref="StressPerturbation.FreePhase"/>): from the round's start, a perturbed phase, then a free one, and so on.
/// In a free phase nothing is delayed or held (the stutter goes on), so the races that need the model at full speed (two
/// CPUs in one short unlocked window, a preemption in a short window) meet nearly as often as without perturbation;
/// the perturbed phases reach the interleavings that need one task delayed at a precise point. A round
/// without free phases is perturbed throughout. Read by every task on every perturbation point: one clock read.
/// </summary>
internal sealed class PerturbationPhases
{
    private readonly long _perturbedTicks;
    private readonly long _periodTicks;
    private readonly Func<long> _now;   // Stopwatch ticks since the round began

    /// <summary>The phases of <paramref name="options"/> on the round's clock <paramref name="now"/> (Stopwatch ticks since the round began).</summary>
    public PerturbationPhases(StressPerturbation options, Func<long> now)
    {
        _perturbedTicks = Ticks(options.PerturbedPhase);
        _periodTicks = options.FreePhase > TimeSpan.Zero ? _perturbedTicks + Ticks(options.FreePhase) : 0;
        _now = now;
    }

    /// <summary>True while the round is in a free phase.</summary>
    public bool Free => _periodTicks > 0 && _now() % _periodTicks >= _perturbedTicks;

    /// <summary>A round's clock, started now: Stopwatch ticks since.</summary>
    public static Func<long> StartClock()
    {
        var clock = Stopwatch.StartNew();
        return () => clock.ElapsedTicks;
    }

    /// <summary><paramref name="span"/> in Stopwatch ticks.</summary>
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
