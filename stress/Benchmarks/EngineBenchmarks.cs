using BenchmarkDotNet.Attributes;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// The engine's speed on the counter test (iterations/s per strategy), its switching step (ping-pong, every step
/// an OS handoff) and its non-switching step (one thread, no handoff). One benchmark operation is one iteration,
/// one step or one handoff, as the method name says.
/// </summary>
[Config(typeof(FastJobConfig))]
public class EngineBenchmarks
{
    private const int CounterIterationsRandom = 50;
    private const int CounterIterationsPct = 500;
    private const int PingPongIterations = 4;
    private const int SingleThreadIterations = 10;

    private static TestReport Run(Action body, string strategy, int iterations)
    {
        var report = SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = iterations, Seed = 7 });
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        return report;
    }

    [Benchmark(OperationsPerInvoke = CounterIterationsRandom, Description = "counter, random: one iteration")]
    public TestReport CounterRandomIteration() => Run(Workloads.Counter, "random", CounterIterationsRandom);

    [Benchmark(OperationsPerInvoke = CounterIterationsPct, Description = "counter, pct: one iteration")]
    public TestReport CounterPctIteration() => Run(Workloads.Counter, "pct", CounterIterationsPct);

    [Benchmark(OperationsPerInvoke = PingPongIterations * Workloads.PingPongRounds * 2, Description = "ping-pong: one switching step")]
    public TestReport SwitchingStep() => Run(Workloads.PingPong, "random", PingPongIterations);

    [Benchmark(OperationsPerInvoke = SingleThreadIterations * Workloads.SingleThreadSteps, Description = "single thread: one non-switching step")]
    public TestReport NonSwitchingStep() => Run(Workloads.SingleThread, "pct", SingleThreadIterations);
}
