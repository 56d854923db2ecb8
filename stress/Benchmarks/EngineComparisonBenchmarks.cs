using BenchmarkDotNet.Attributes;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Coyote;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// Our engine and Coyote (real OS threads bound to Coyote operations) on the same clean programs with the same
/// strategy family: the counter test and two model scenarios. One benchmark operation is one iteration (a whole
/// schedule, its start-up and teardown included); <see cref="StepsPerSecondColumn"/> turns it into scheduling steps
/// per second and <see cref="EngineRatioColumn"/> into the ratio ours/Coyote of the same workload and strategy.
/// </summary>
[Config(typeof(EngineComparisonConfig))]
public class EngineComparisonBenchmarks
{
    private const int IterationsPerRun = 20;
    private Action _test = null!;
    private ITestEngine _engine = null!;
    private TestOptions _options = null!;

    /// <summary>Which engine explores.</summary>
    [Params("hmc", "coyote")]
    public string Engine { get; set; } = "hmc";

    /// <summary>The counter test, or a model scenario's correct model with its default parameters.</summary>
    [Params("counter", "few-slots", "local-preempt")]
    public string Workload { get; set; } = "counter";

    /// <summary>A strategy both engines have under this name.</summary>
    [Params("random", "pct")]
    public string Strategy { get; set; } = "random";

    /// <summary>The key the step columns look the case up by.</summary>
    public static string Key(string engine, string workload, string strategy) => $"{engine}/{workload}/{strategy}";

    [GlobalSetup]
    public void Setup()
    {
        _engine = Engine == "coyote" ? CoyoteTest.Engine : SystematicTest.Engine;
        if (Workload == "counter")
        {
            _test = Workloads.Counter;
            _options = new TestOptions();
            return;
        }
        var scenario = Catalog.FindScenario(Workload) ?? throw new InvalidOperationException($"no scenario '{Workload}'");
        _test = scenario.CreateTest(scenario.Defaults);
        _options = ScenarioTestOptions.For(scenario, scenario.Defaults);
    }

    [Benchmark(OperationsPerInvoke = IterationsPerRun, Description = "one iteration")]
    public TestReport Iteration()
    {
        var report = _engine.Run(_test, _options with { Strategy = Strategy, Iterations = IterationsPerRun, Seed = 7 });
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        StepTally.Add(Key(Engine, Workload, Strategy), report.StepsExplored, report.IterationsRun);
        return report;
    }
}
