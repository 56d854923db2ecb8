using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Output;

/// <summary>The JSON summary of an <c>hmc stress</c> run (<c>hmc-stress-summary/1</c>).</summary>
internal sealed record StressSummary(
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
    int ExitCode)
{
    public const string FormatId = "hmc-stress-summary/1";

    public static StressSummary From(StressReport report, DateTimeOffset startedAt, TimeSpan requested, int exitCode)
    {
        var seconds = report.Elapsed.TotalSeconds;
        return new(FormatId, ToolInfo.NameAndVersion, report.Scenario, report.Parameters.Variant, report.Parameters.ToDictionary(),
            startedAt, TestSummary.Seconds(requested), TestSummary.Seconds(report.Elapsed), report.Canceled, report.Operations,
            Math.Round(report.OperationsPerSecond, 1),
            report.OperationsPerCpu.Select((ops, cpu) => new CpuThroughput(cpu, ops, seconds > 0 ? Math.Round(ops / seconds, 1) : 0)).ToList(),
            report.KmapLatency, report.Counters, report.InvariantChecks, report.Violations, report.HangReport, report.Clean, exitCode);
    }
}

/// <summary>Operations completed by one simulated CPU.</summary>
internal sealed record CpuThroughput(int Cpu, long Operations, double OperationsPerSecond);
