using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Engines;

/// <summary>Our engine behind <see cref="ITestEngine"/>: <see cref="SystematicTest.Run"/> and <see cref="SystematicTest.Replay"/>.</summary>
internal sealed class HmcTestEngine : ITestEngine
{
    public string Name => ScheduleTrace.DefaultEngine;

    public IReadOnlyList<StrategyInfo> Strategies => StrategyFactory.All;

    public TestReport Run(Action test, TestOptions options) => SystematicTest.Run(test, options);

    public TestReport Replay(Action test, string traceJson, TestOptions? options = null) => SystematicTest.Replay(test, traceJson, options);
}
