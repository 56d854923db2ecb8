using System.Diagnostics;
using System.Globalization;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// <c>--measure</c>: a quick Stopwatch pass over the engine workloads that also prints what BenchmarkDotNet
/// cannot see: steps and thread switches per iteration, so a switching step can be told from a non-switching one.
/// </summary>
public static class QuickMeasure
{
    public static void Run()
    {
        Console.WriteLine("workload              strategy  iterations  it/s       steps/it  switches/it  steps/s      µs/iteration");
        Measure("counter", Workloads.Counter, "random", 300);
        Measure("counter", Workloads.Counter, "pct", 3000);
        Measure("ping-pong", Workloads.PingPong, "random", 20);
        Measure("single-thread", Workloads.SingleThread, "pct", 50);
        Measure("single-thread", Workloads.SingleThread, "random", 50);
        Measure("single-thread-norace", Workloads.SingleThread, "random", 50, races: false);
        Measure("single-yield-norace", () => { for (var i = 0; i < 10_000; i++) Sim.Yield(); }, "random", 50, races: false);
    }

    private static void Measure(string name, Action body, string strategy, int iterations, bool races = true)
    {
        SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = Math.Max(1, iterations / 10) });   // warm-up
        var clock = Stopwatch.StartNew();
        var report = SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = iterations, Seed = 7, DetectDataRaces = races });
        clock.Stop();
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0,-21} {1,-9} {2,10}  {3,9:N0}  {4,8:N0}  {5,11:N1}  {6,11:N0}  {7,12:N1}",
            name, strategy, iterations, iterations / seconds, (double)report.StepsExplored / iterations,
            (double)report.ThreadSwitches / iterations, report.StepsExplored / seconds, seconds * 1e6 / iterations));
    }
}
