using System.Diagnostics;
using System.Globalization;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// <c>--compare-gates N [policy…]</c>: the counter test under each handoff policy, quiet and with N busy processes,
/// interleaved round by round in one process so every policy sees the same machine; prints medians and ratios.
/// </summary>
public static class GateComparison
{
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(1.5);
    private const int Rounds = 5;

    public static void Run(string[] args)
    {
        var load = int.Parse(args[0], CultureInfo.InvariantCulture);
        var policies = args.Length > 1 ? args[1..].Select(Enum.Parse<HandoffPolicy>).ToArray() : Enum.GetValues<HandoffPolicy>();
        string[] strategies = ["random", "pct"];
        var quiet = new Dictionary<(HandoffPolicy, string), List<double>>();
        var loaded = new Dictionary<(HandoffPolicy, string), List<double>>();
        foreach (var p in policies) foreach (var s in strategies) { quiet[(p, s)] = []; loaded[(p, s)] = []; Measure(p, s, 0); }
        for (var r = 0; r < Rounds; r++)
        {
            foreach (var p in policies) foreach (var s in strategies) quiet[(p, s)].Add(Measure(p, s, r));
            using (new BackgroundLoad(load))
            {
                foreach (var p in policies) foreach (var s in strategies) loaded[(p, s)].Add(Measure(p, s, r));
            }
            Console.Error.WriteLine($"round {r + 1}/{Rounds} done; idle share of the machine per run: {string.Join(" ", IdleShare.Select(x => x.ToString("P0", CultureInfo.InvariantCulture)))}; load {File.ReadAllText("/proc/loadavg").Trim()}");
            IdleShare.Clear();
        }
        Console.WriteLine($"counter test, {Environment.ProcessorCount} CPUs, background load {load}; median of {Rounds} × {RunTime.TotalSeconds} s, interleaved");
        Console.WriteLine("policy       strategy  quiet it/s  loaded it/s  slowdown   (quiet runs | loaded runs)");
        foreach (var p in policies)
            foreach (var s in strategies)
            {
                double q = Median(quiet[(p, s)]), l = Median(loaded[(p, s)]);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-12} {1,-8} {2,11:N0} {3,12:N1} {4,8:N1}×   ({5} | {6})",
                    p, s, q, l, q / l, string.Join(" ", quiet[(p, s)].Select(x => x.ToString("N0", CultureInfo.InvariantCulture))),
                    string.Join(" ", loaded[(p, s)].Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))));
            }
    }

    private static double Median(List<double> xs)
    {
        var a = xs.Order().ToArray();
        return a[a.Length / 2];
    }

    private static double Measure(HandoffPolicy policy, string strategy, int round)
    {
        var idle0 = Idle();
        var clock = Stopwatch.StartNew();
        var report = SystematicTest.Run(Workloads.Counter,
            new TestOptions { Strategy = strategy, Iterations = int.MaxValue, Seed = 7 + (ulong)round, TimeLimit = RunTime, Handoff = policy });
        clock.Stop();
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        var idle1 = Idle();
        IdleShare.Add((idle1.idle - idle0.idle) / Math.Max(1, idle1.total - idle0.total));
        return report.IterationsRun / clock.Elapsed.TotalSeconds;
    }

    private static readonly List<double> IdleShare = [];

    /// <summary>Idle and total CPU time of the machine so far (jiffies, from /proc/stat).</summary>
    private static (double idle, double total) Idle()
    {
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(double.Parse).ToArray();
        return (f[3] + f[4], f.Sum());
    }
}
