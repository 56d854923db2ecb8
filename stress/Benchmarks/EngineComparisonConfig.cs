namespace HighMemConcurrency.Benchmarks;

/// <summary><see cref="FastJobConfig"/> plus the step rate and the ratio ours/Coyote.</summary>
public sealed class EngineComparisonConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public EngineComparisonConfig()
    {
        Add(new FastJobConfig());
        AddColumn(new StepsPerSecondColumn(), new EngineRatioColumn());
    }
}
