using BenchmarkDotNet.Attributes;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// What weak memory costs (issue 23): the same programs under <c>sc</c>, <c>tso</c> and <c>arm</c> in one run. A
/// plain-store step (one thread writing and reading a SimVar: under tso each write enters the buffer and a read is
/// forwarded from it, and the buffer's drains are extra scheduled steps; under arm each write joins its location's
/// history and each read consults its thread's view), and the 4-thread locked counter under pct (locks drain the
/// buffer, or carry views). One operation is one program step of the thread, or one iteration, as the method name says.
/// </summary>
[Config(typeof(FastJobConfig))]
public class MemoryModelBenchmarks
{
    private const int Steps = 2_000;
    private const int StoreLoadIterations = 5;
    private const int CounterIterations = 200;

    [Params(MemoryModel.Sc, MemoryModel.Tso, MemoryModel.Arm)]
    public MemoryModel Model { get; set; }

    private TestReport Run(Action body, string strategy, int iterations)
    {
        var report = SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = iterations, Seed = 7, MemoryModel = Model });
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        return report;
    }

    /// <summary>One thread alternating a store and a load of two SimVars: Steps program steps.</summary>
    private static void StoreLoad()
    {
        var (x, y) = (new SimVar<int>(0, "x"), new SimVar<int>(0, "y"));
        for (var i = 0; i < Steps / 2; i++)
        {
            x.Write(i);
            _ = y.Read();
        }
    }

    [Benchmark(OperationsPerInvoke = StoreLoadIterations * Steps, Description = "store/load, pct: one program step")]
    public TestReport StoreLoadStep() => Run(StoreLoad, "pct", StoreLoadIterations);

    [Benchmark(OperationsPerInvoke = CounterIterations, Description = "counter, pct: one iteration")]
    public TestReport CounterPctIteration() => Run(Workloads.Counter, "pct", CounterIterations);
}
