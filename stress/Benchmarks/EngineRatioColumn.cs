using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// Steps per second of our engine divided by Coyote's on the same workload and strategy (both cases of one run, so
/// they saw the same machine); shown on our engine's row.
/// </summary>
public sealed class EngineRatioColumn : IColumn
{
    public string Id => nameof(EngineRatioColumn);
    public string ColumnName => "Ours/Coyote";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 2;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Steps/s of our engine / steps/s of Coyote, same workload and strategy, same run";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (StepsPerSecondColumn.Param(benchmarkCase, "Engine") != "hmc") return "";
        var coyote = summary.BenchmarksCases.FirstOrDefault(c =>
            StepsPerSecondColumn.Param(c, "Engine") == "coyote" &&
            StepsPerSecondColumn.Param(c, "Workload") == StepsPerSecondColumn.Param(benchmarkCase, "Workload") &&
            StepsPerSecondColumn.Param(c, "Strategy") == StepsPerSecondColumn.Param(benchmarkCase, "Strategy"));
        var ours = StepsPerSecondColumn.Rate(summary, benchmarkCase);
        var theirs = coyote is null ? null : StepsPerSecondColumn.Rate(summary, coyote);
        return ours is { } o && theirs is > 0 ? (o / theirs.Value).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
