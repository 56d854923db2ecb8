using System.Globalization;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>The JSON summary of an <c>hmc stress</c> run (<c>hmc-stress-summary/1</c>).</summary>
/// <param name="Format"><see cref="FormatId"/>.</param>
/// <param name="Tool">Tool name and version.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Variant">The variant, or <c>none</c>.</param>
/// <param name="Parameters">The parameters it ran with.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="RequestedSeconds">The duration asked for.</param>
/// <param name="ElapsedSeconds">How long it ran.</param>
/// <param name="Canceled">True when a cancel stopped it early.</param>
/// <param name="Operations">Operations completed.</param>
/// <param name="OperationsPerSecond">Their rate.</param>
/// <param name="PerCpu">Operations by simulated CPU.</param>
/// <param name="KmapLatencyNs">kmap latency percentiles, in nanoseconds.</param>
/// <param name="Counters">The workload's contention counters.</param>
/// <param name="InvariantChecks">Invariant checks made while running.</param>
/// <param name="Violations">Invariant violations and corruption seen.</param>
/// <param name="HangReport">The watchdog's dump of a hang, or null.</param>
/// <param name="Clean">True when nothing was seen.</param>
/// <param name="Reproduction">The systematic search after a failure, or null.</param>
/// <param name="ExitCode">The process exit code (<see cref="ExitCodeOf"/>).</param>
/// <param name="Perturbation">How the run perturbed its tasks.</param>
public sealed record StressSummary(
    string Format,
    string Tool,
    string Scenario,
    string Variant,
    IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset StartedAt,
    double RequestedSeconds,
    double ElapsedSeconds,
    bool Canceled,
    long Operations,
    double OperationsPerSecond,
    IReadOnlyList<CpuThroughput> PerCpu,
    LatencySummary KmapLatencyNs,
    IReadOnlyDictionary<string, long> Counters,
    long InvariantChecks,
    IReadOnlyList<string> Violations,
    string? HangReport,
    bool Clean,
    ReproductionSummary? Reproduction,
    int ExitCode,
    PerturbationSummary Perturbation)
{
    /// <summary>The format's name and version.</summary>
    public const string FormatId = "hmc-stress-summary/1";

    /// <summary>
    /// The exit code of a stress run: a failure seen is a failure (<see cref="ExitCodes.BugFound"/>) whether or not
    /// the search reproduced it; a clean run cut short is <see cref="ExitCodes.Canceled"/>.
    /// </summary>
    public static int ExitCodeOf(StressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return !report.Clean ? ExitCodes.BugFound : report.Canceled ? ExitCodes.Canceled : ExitCodes.Clean;
    }

    /// <summary>The summary of a stress run and of the search that followed its failure (null when clean).</summary>
    public static StressSummary From(StressReport report, DateTimeOffset startedAt, TimeSpan requested, StressReproduction? reproduction, int exitCode,
        StressPerturbation? perturbation = null, ulong seed = 0)
    {
        var seconds = report.Elapsed.TotalSeconds;
        return new(FormatId, ToolInfo.NameAndVersion, report.Scenario, report.Parameters.Variant, report.Parameters.ToDictionary(),
            startedAt, TestSummary.Seconds(requested), TestSummary.Seconds(report.Elapsed), report.Canceled, report.Operations,
            Math.Round(report.OperationsPerSecond, 1),
            report.OperationsPerCpu.Select((ops, cpu) => new CpuThroughput(cpu, ops, seconds > 0 ? Math.Round(ops / seconds, 1) : 0)).ToList(),
            report.KmapLatency, report.Counters, report.InvariantChecks, report.Violations, report.HangReport, report.Clean,
            reproduction is null ? null : ReproductionSummary.From(reproduction), exitCode,
            PerturbationSummary.From(perturbation ?? StressPerturbation.None, seed));
    }
}

/// <summary>Operations completed by one simulated CPU.</summary>
/// <param name="Cpu">The simulated CPU.</param>
/// <param name="Operations">Operations it completed.</param>
/// <param name="OperationsPerSecond">Their rate.</param>
public sealed record CpuThroughput(int Cpu, long Operations, double OperationsPerSecond);

/// <summary>
/// The systematic search that followed a stress failure (null in the summary of a clean run): how it ended, its
/// bound and seed, the search as a test job (with the bug and its trace when reproduced), and the command that
/// replays the trace.
/// </summary>
/// <param name="Outcome">How the search ended.</param>
/// <param name="BudgetSeconds">Its time bound.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Search">The search as a test job, or null when it was off.</param>
/// <param name="Replay">The command that replays the trace found, or null.</param>
public sealed record ReproductionSummary(ReproductionStatus Outcome, double BudgetSeconds, string Seed, JobSummary? Search, string? Replay)
{
    /// <summary>The summary of <paramref name="r"/>.</summary>
    public static ReproductionSummary From(StressReproduction r) =>
        new(r.Status, TestSummary.Seconds(r.Budget), r.Seed.ToString(CultureInfo.InvariantCulture),
            r.Outcome is null ? null : JobSummary.From(r.Outcome), r.TracePath is { } path ? TraceFileNamer.ReplayCommand(path, r.Outcome?.Job.Scenario) : null);
}
