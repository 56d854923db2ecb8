namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>Coyote behind <see cref="ITestEngine"/>: <see cref="CoyoteTest.Run"/> and <see cref="CoyoteTest.Replay"/>.</summary>
internal sealed class CoyoteTestEngine : ITestEngine
{
    public string Name => CoyoteTest.EngineName;

    public IReadOnlyList<StrategyInfo> Strategies => CoyoteStrategies.Described;

    public TestReport Run(Action test, TestOptions options) => CoyoteTest.Run(test, options);

    public TestReport Replay(Action test, string traceJson, TestOptions? options = null) => CoyoteTest.Replay(test, traceJson, options);
}
