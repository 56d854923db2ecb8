using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HighMemConcurrency.Benchmarks;

/// <summary>Scheduling steps per second of an <see cref="EngineComparisonBenchmarks"/> case: steps per iteration / median time per iteration.</summary>
public sealed class StepsPerSecondColumn : IColumn
{
    public string Id => nameof(StepsPerSecondColumn);
    public string ColumnName => "Steps/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Scheduling steps per second: mean steps per iteration (as the runs reported them) / median time per iteration";

    /// <summary>The rate, or null when the case did not run or has no steps recorded.</summary>
    public static double? Rate(Summary summary, BenchmarkCase benchmarkCase)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        var steps = StepTally.StepsPerIteration(KeyOf(benchmarkCase));
        return median is > 0 && steps is { } s ? s * 1e9 / median.Value : null;
    }

    /// <summary>The case's engine/workload/strategy key.</summary>
    public static string KeyOf(BenchmarkCase benchmarkCase) =>
        EngineComparisonBenchmarks.Key(Param(benchmarkCase, "Engine"), Param(benchmarkCase, "Workload"), Param(benchmarkCase, "Strategy"));

    internal static string Param(BenchmarkCase benchmarkCase, string name) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == name)?.Value?.ToString() ?? "";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Rate(summary, benchmarkCase) is { } r ? r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
