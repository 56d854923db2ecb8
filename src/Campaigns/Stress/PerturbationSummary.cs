using System.Globalization;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The perturbation a stress run used, in its summary: enough to run it again (<c>hmc stress</c>'s options and the
/// seed of its decisions).
/// </summary>
/// <param name="On">False when nothing was perturbed.</param>
/// <param name="Description">One line (<see cref="StressPerturbation.ToString"/>).</param>
/// <param name="DelayChance">Chance of a short delay at a point.</param>
/// <param name="DelaySpins">Upper bound of a short delay, in spin iterations.</param>
/// <param name="HoldChance">Chance of a hold at a point.</param>
/// <param name="HoldMaxMs">Upper bound of a hold, in milliseconds.</param>
/// <param name="Points">Where delays and holds may happen (<c>--perturb-at</c>'s names).</param>
/// <param name="StutterRunMs">Work between two pauses of load, in milliseconds (0: no stutter).</param>
/// <param name="StutterPauseMs">Shortest pause of load, in milliseconds.</param>
/// <param name="TasksPerCpu">Tasks per CPU asked for, or null (see <see cref="StressPerturbation.TasksPerCpu"/>; the run's parameters say what ran).</param>
/// <param name="Seed">The seed of the decisions (the run's <c>--seed</c>).</param>
/// <param name="PerturbedPhaseMs">Each perturbed phase, in milliseconds (0: perturbed throughout).</param>
/// <param name="FreePhaseMs">Each free phase, in milliseconds (0: none).</param>
public sealed record PerturbationSummary(bool On, string Description, double DelayChance, int DelaySpins, double HoldChance, double HoldMaxMs,
    string Points, double StutterRunMs, double StutterPauseMs, int? TasksPerCpu, string Seed, double PerturbedPhaseMs, double FreePhaseMs)
{
    /// <summary>The summary of <paramref name="p"/> with its decisions seeded by <paramref name="seed"/>.</summary>
    public static PerturbationSummary From(StressPerturbation p, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(!p.IsNone, p.ToString(), p.DelayChance, p.DelaySpins, p.HoldChance, p.HoldMax.TotalMilliseconds,
            StressPerturbation.PointNames(p.Points), p.StutterRun.TotalMilliseconds, p.StutterPause.TotalMilliseconds, p.TasksPerCpu,
            seed.ToString(CultureInfo.InvariantCulture), p.PerturbedPhase.TotalMilliseconds, p.FreePhase.TotalMilliseconds);
    }
}
