using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// An in-process job with few, short iterations (MACHINE-FACTS: ≈1 s per benchmark with ≈5 % spread here, versus
/// ≈90 s for the default job), plus the derived columns the engine's goals are stated in.
/// </summary>
public sealed class FastJobConfig : ManualConfig
{
    public FastJobConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(2)
            .WithIterationCount(7)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        AddColumn(new PerSecondColumn());
        AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default);   // allocations per operation
    }
}
