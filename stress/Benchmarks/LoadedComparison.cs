using System.Diagnostics;
using System.Globalization;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Runtime;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// The counter test quiet and with N busy-spinning processes competing for the CPUs, interleaved round by round in
/// one process so that both see the same machine; prints medians, the slowdown, and how idle the machine was during
/// the quiet runs (a shared machine is rarely quiet). <c>--measure --background-load N</c> measures the product's
/// handoff; <c>--compare-gates N [policy…]</c> each handoff policy, interleaved too.
/// </summary>
public static class LoadedComparison
{
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(1.5);
    private const int Rounds = 5;
    private static readonly string[] Strategies = ["random", "pct"];

    /// <summary><c>--compare-gates N [policy…]</c>.</summary>
    public static void CompareGates(string[] args)
    {
        var policies = Enum.GetValues<HandoffPolicy>();
        var load = 0;
        if (args.Length == 0 || !int.TryParse(args[0], out load) || load < 1 ||
            !TryParsePolicies(args[1..], ref policies))
        {
            Console.Error.WriteLine($"usage: --compare-gates N [policy…]   (N ≥ 1 busy processes; policies: {string.Join(", ", Enum.GetNames<HandoffPolicy>())})");
            Environment.Exit(2);
        }
        Run(load, policies);
    }

    /// <summary>Measures <paramref name="policies"/> (the product's when not given) quiet and with <paramref name="load"/> busy processes.</summary>
    internal static void Run(int load, HandoffPolicy[]? policies = null)
    {
        policies ??= [new TestOptions().Handoff];
        var quiet = new Dictionary<(HandoffPolicy, string), List<double>>();
        var loaded = new Dictionary<(HandoffPolicy, string), List<double>>();
        var quietIdle = new List<double>();
        foreach (var p in policies)
            foreach (var s in Strategies)
            {
                (quiet[(p, s)], loaded[(p, s)]) = ([], []);
                Measure(p, s, 0);   // warm-up: JIT and tiering
            }
        for (var r = 0; r < Rounds; r++)
        {
            var before = CpuTimes();
            foreach (var p in policies) foreach (var s in Strategies) quiet[(p, s)].Add(Measure(p, s, r));
            var after = CpuTimes();
            quietIdle.Add((after.Idle - before.Idle) / Math.Max(1, after.Total - before.Total));
            using (new BackgroundLoad(load))
                foreach (var p in policies) foreach (var s in Strategies) loaded[(p, s)].Add(Measure(p, s, r));
            Console.Error.WriteLine($"round {r + 1}/{Rounds}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        Console.WriteLine($"counter test, {Environment.ProcessorCount} CPUs, background load {load} busy process(es); " +
                          $"median of {Rounds} × {RunTime.TotalSeconds} s, policies interleaved; machine idle during the quiet runs: " +
                          string.Join(" ", quietIdle.Select(x => x.ToString("P0", CultureInfo.InvariantCulture))));
        Console.WriteLine("policy     strategy  quiet it/s  loaded it/s  slowdown   (quiet runs | loaded runs)");
        foreach (var p in policies)
            foreach (var s in Strategies)
            {
                double q = Median(quiet[(p, s)]), l = Median(loaded[(p, s)]);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-10} {1,-8} {2,11:N0} {3,12:N1} {4,8:N1}×   ({5} | {6})",
                    p, s, q, l, q / l, Runs(quiet[(p, s)]), Runs(loaded[(p, s)])));
            }
    }

    private static bool TryParsePolicies(string[] names, ref HandoffPolicy[] policies)
    {
        if (names.Length == 0) return true;
        var parsed = new HandoffPolicy[names.Length];
        for (var i = 0; i < names.Length; i++)
            if (!Enum.TryParse(names[i], ignoreCase: true, out parsed[i]) || !Enum.IsDefined(parsed[i])) return false;
        policies = parsed;
        return true;
    }

    private static string Runs(List<double> rates) => string.Join(" ", rates.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)));

    private static double Median(List<double> rates) => rates.Order().ElementAt(rates.Count / 2);

    private static double Measure(HandoffPolicy policy, string strategy, int round)
    {
        var clock = Stopwatch.StartNew();
        var report = SystematicTest.Run(Workloads.Counter,
            new TestOptions { Strategy = strategy, Iterations = int.MaxValue, Seed = 7 + (ulong)round, TimeLimit = RunTime, Handoff = policy });
        clock.Stop();
        if (report.Bug is not null) throw new InvalidOperationException(report.Bug.ToString());
        return report.IterationsRun / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Idle (incl. I/O wait) and total CPU time of the machine so far, in clock ticks (/proc/stat).</summary>
    private static (double Idle, double Total) CpuTimes()
    {
        if (!File.Exists("/proc/stat")) return (0, 0);
        var t = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return (t[3] + t[4], t.Sum());
    }
}
