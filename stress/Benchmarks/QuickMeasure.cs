using System.Diagnostics;
using System.Globalization;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// <c>--measure</c>: a quick Stopwatch pass over the engine workloads that also prints what BenchmarkDotNet
/// cannot see: steps and thread switches per iteration, so a switching step can be told from a non-switching one,
/// and bytes allocated per step over the whole run (more iterations per run amortise the per-run buffers).
/// </summary>
public static class QuickMeasure
{
    /// <summary>Reads <c>--background-load N</c> (busy processes); null when not given.</summary>
    public static int? ParseLoad(string[] args)
    {
        if (args.Length == 0) return null;
        if (args.Length == 2 && args[0] == "--background-load" && int.TryParse(args[1], out var n) && n >= 1) return n;
        Console.Error.WriteLine("usage: --measure [--background-load N]   (N ≥ 1 busy-spinning processes)");
        Environment.Exit(2);
        return null;
    }

    public static void Run(int? backgroundLoad)
    {
        if (backgroundLoad is { } n)
        {
            LoadedComparison.Run(n);
            return;
        }
        Console.WriteLine("workload              strategy  iterations  it/s       steps/it  switches/it  steps/s      µs/iteration  bytes/step");
        Measure("counter", Workloads.Counter, "random", 300);
        Measure("counter", Workloads.Counter, "pct", 3000);
        Measure("ping-pong", Workloads.PingPong, "random", 20);
        Measure("single-thread", Workloads.SingleThread, "pct", 50);
        Measure("single-thread", Workloads.SingleThread, "pct", 500);
    }

    private static void Measure(string name, Action body, string strategy, int iterations, bool races = true)
    {
        SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = Math.Max(1, iterations / 10) });   // warm-up
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var report = SystematicTest.Run(body, new TestOptions { Strategy = strategy, Iterations = iterations, Seed = 7, DetectDataRaces = races });
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "{0,-21} {1,-9} {2,10}  {3,9:N0}  {4,8:N0}  {5,11:N1}  {6,11:N0}  {7,12:N1}  {8,10:N2}",
            name, strategy, iterations, iterations / seconds, (double)report.StepsExplored / iterations,
            (double)report.ThreadSwitches / iterations, report.StepsExplored / seconds, seconds * 1e6 / iterations, (double)allocated / report.StepsExplored));
    }
}
