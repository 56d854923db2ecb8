using System.Diagnostics;
using System.Globalization;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// <c>--measure --background-load N</c>: the counter test quiet, then with N busy-spinning processes competing for
/// the CPUs, in one run so that both figures see the same machine; prints both and the slowdown. Each figure is
/// the median of a few time-boxed runs, because a loaded machine makes single runs jumpy.
/// </summary>
public static class LoadedComparison
{
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(2);
    private const int Repeats = 3;

    public static void Run(int processes)
    {
        string[] strategies = ["random", "pct"];
        foreach (var s in strategies) Measure(s);   // warm-up: JIT and tiering
        var quiet = strategies.Select(Measure).ToArray();
        double[] loaded;
        using (new BackgroundLoad(processes)) loaded = strategies.Select(Measure).ToArray();
        var again = strategies.Select(Measure).ToArray();
        Console.WriteLine($"counter test, {Environment.ProcessorCount} CPUs, background load {processes} busy process(es) " +
                          $"({(double)processes / Environment.ProcessorCount:0.#} per CPU); median of {Repeats} × {RunTime.TotalSeconds:0} s");
        Console.WriteLine("strategy  quiet it/s  loaded it/s  slowdown  quiet again it/s");
        for (var i = 0; i < strategies.Length; i++)
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-8}  {1,10:N0}  {2,11:N1}  {3,7:N1}×  {4,16:N0}",
                strategies[i], quiet[i], loaded[i], quiet[i] / loaded[i], again[i]));
    }

    private static double Measure(string strategy)
    {
        var rates = new double[Repeats];
        for (var r = 0; r < Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var report = SystematicTest.Run(Workloads.Counter,
                new TestOptions { Strategy = strategy, Iterations = int.MaxValue, Seed = 7 + (ulong)r, TimeLimit = RunTime });
            clock.Stop();
            if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
            rates[r] = report.IterationsRun / clock.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[Repeats / 2];
    }
}
