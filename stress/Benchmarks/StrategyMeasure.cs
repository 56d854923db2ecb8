using System.Globalization;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Tests;

namespace HighMemConcurrency.Benchmarks;

/// <summary>
/// <c>--measure-strategies [--seeds N] [--cap N] [--time PER_RUN_SECONDS] [--only TEXT] [--strategies A,B,...]</c>: median iterations to
/// the bug over N seeds (default 10) for every strategy on every model variant (its first scenario, default
/// parameters, under the memory model it declares, named in the row when it is not sc), the textbook programs and <see cref="HardCases"/>. The systematic strategies (dfs, delay-bounding,
/// idb, dpor) do not use the seed, so they run once. A run that does not find the bug within the cap (default 10⁴
/// iterations) or the per-run time counts as "&gt;cap"; a median of more than half such runs prints as "&gt;cap".
/// Output is a Markdown table, one row per program.
/// </summary>
public static class StrategyMeasure
{
    private static readonly string[] Randomised = ["random", "pct", "pos", "surw"];
    private static readonly string[] Systematic = ["dfs", "delay-bounding", "idb", "dpor"];

    public static void Run(string[] args)
    {
        var seeds = Int(args, "--seeds", 10);
        var cap = Int(args, "--cap", 10_000);
        var perRun = TimeSpan.FromSeconds(Int(args, "--time", 10));
        var only = Value(args, "--only");
        var strategies = Value(args, "--strategies")?.Split(',') ?? Randomised.Concat(Systematic).ToArray();
        Console.WriteLine($"median iterations to the bug over {seeds} seeds (systematic strategies: one run), cap {cap}, {perRun.TotalSeconds:0} s per run");
        Console.WriteLine("| program | " + string.Join(" | ", strategies) + " |");
        Console.WriteLine("|---|" + string.Concat(strategies.Select(_ => "---|")));
        foreach (var (name, body, races, model) in Programs())
        {
            if (only is not null && !name.Contains(only, StringComparison.Ordinal)) continue;
            var cells = strategies.Select(s =>
            {
                var runs = Systematic.Contains(s) ? 1 : seeds;
                var found = Enumerable.Range(1, runs).Select(seed => IterationsToBug(body, s, (ulong)seed, cap, perRun, races, model)).ToList();
                return Median(found, cap);
            });
            Console.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
        }
    }

    private static IEnumerable<(string Name, Action Body, bool Races, MemoryModel Model)> Programs()
    {
        foreach (var v in VariantRegistry.All)
        {
            var scenario = Catalog.FindScenario(v.Scenarios[0])!;
            var where = v.MemoryModel == MemoryModel.Sc ? scenario.Name : $"{scenario.Name}, {MemoryModelNames.Name(v.MemoryModel)}";
            yield return ($"{v.Name} ({where})", scenario.CreateTest(scenario.Defaults with { Variant = v.Name }), true, v.MemoryModel);
        }
        yield return ("textbook counter", TextbookPrograms.Counter(locked: false), false, MemoryModel.Sc);
        yield return ("textbook lost-wakeup", TextbookPrograms.LostWakeup(fixedVersion: false), false, MemoryModel.Sc);
        yield return ("textbook lock-order", TextbookPrograms.LockOrder(fixedVersion: false), false, MemoryModel.Sc);
        yield return ("textbook atomicity", TextbookPrograms.AtomicityViolation(fixedVersion: false), false, MemoryModel.Sc);
        yield return ("textbook unprotected-variable (race)", TextbookPrograms.UnprotectedVariable(locked: false), true, MemoryModel.Sc);
        yield return ("textbook throwing-thread", TextbookPrograms.ThrowingThread(fixedVersion: false), false, MemoryModel.Sc);
        yield return ("hard: 50 threads", HardCases.ManyThreads, false, MemoryModel.Sc);
        yield return ("hard: three orderings", HardCases.ThreeOrderings, false, MemoryModel.Sc);
        yield return ("hard: long spin", HardCases.LongSpin, false, MemoryModel.Sc);
    }

    private static int? IterationsToBug(Action body, string strategy, ulong seed, int cap, TimeSpan perRun, bool races, MemoryModel model)
    {
        var report = SystematicTest.Run(body, new TestOptions
        {
            Strategy = strategy, Seed = seed, Iterations = cap, TimeLimit = perRun, DetectDataRaces = races, PreemptionBound = 2, DelayBound = 2,
            MemoryModel = model,
        });
        return report.Bug?.Iteration;
    }

    private static string Median(List<int?> found, int cap)
    {
        // Not found counts as more than the cap, so it sorts last.
        var sorted = found.Select(f => f ?? int.MaxValue).Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : Mid(sorted[sorted.Count / 2 - 1], sorted[sorted.Count / 2]);
        return median == int.MaxValue ? $">{cap}" : median.ToString(CultureInfo.InvariantCulture);
    }

    private static int Mid(int a, int b) => a == int.MaxValue || b == int.MaxValue ? int.MaxValue : (int)(((long)a + b) / 2);

    private static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
