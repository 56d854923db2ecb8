using HighMemConcurrency.Campaigns;
using System.Globalization;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>The comparison as markdown tables: one row per variant and strategy pair, then the correct model.</summary>
internal static class CompareTable
{
    public static void Write(TextWriter writer, CompareRequest request, IReadOnlyList<VariantComparison> variants,
        IReadOnlyList<ModelComparison> models)
    {
        if (variants.Count > 0)
        {
            writer.WriteLine($"Variants: found/seeds over {request.Seeds} seeds, at most {Numbers.Count(request.Iterations)} iterations " +
                             $"and {Numbers.Seconds(request.TimeLimit)} per run; median iterations to the bug (— when half the seeds or more miss); " +
                             "median wall-clock time to the bug (start-up included); ratios ours/coyote (iterations and time below 1, " +
                             "schedules/s above 1 favour ours).");
            writer.WriteLine();
            Row(writer, "variant", "scenario", "ours/coyote", "found ours", "found coyote", "median it. ours", "median it. coyote",
                "it. ratio", "sched/s ours", "sched/s coyote", "speed ratio", "ms to bug ours", "ms to bug coyote", "time ratio");
            Rule(writer, 14, firstText: 3);
            foreach (var v in variants)
                Row(writer, v.Variant, v.Scenario, PairCell(v.Pair), Found(v.Ours), Found(v.Coyote),
                    Median(v.Ours), Median(v.Coyote), Ratio(v.IterationsRatio),
                    Numbers.Rate(v.Ours.SchedulesPerSecond), Numbers.Rate(v.Coyote.SchedulesPerSecond), Ratio(v.SpeedRatio),
                    Milliseconds(v.Ours), Milliseconds(v.Coyote), Ratio(v.TimeRatio));
        }
        if (models.Count > 0)
        {
            if (variants.Count > 0) writer.WriteLine();
            writer.WriteLine($"Correct model: seed {request.SeedList[0]}, at most {Numbers.Count(request.ModelIterations)} iterations " +
                             $"and {Numbers.Seconds(request.TimeLimit)} per run.");
            writer.WriteLine();
            Row(writer, "scenario", "ours/coyote", "ours", "coyote", "sched/s ours", "sched/s coyote", "speed ratio");
            Rule(writer, 7, firstText: 4);
            foreach (var m in models)
                Row(writer, m.Scenario, PairCell(m.Pair), Clean(m.Ours), Clean(m.Coyote),
                    Numbers.Rate(m.Ours.SchedulesPerSecond), Numbers.Rate(m.Coyote.SchedulesPerSecond), Ratio(m.SpeedRatio));
        }
    }

    /// <summary>An iteration count or a median of two (x.5).</summary>
    public static string Iterations(double n) => n.ToString(n % 1 == 0 ? "N0" : "N1", CultureInfo.InvariantCulture);

    private static string PairCell(StrategyPair pair) => $"{pair.Ours}/{pair.Coyote}";

    private static string Found(EngineRuns runs) => $"{runs.Found}/{runs.Runs.Count}";

    private static string Median(EngineRuns runs) => runs.MedianIterationsToBug is { } m ? Iterations(m) : "—";

    private static string Milliseconds(EngineRuns runs) =>
        runs.MedianSecondsToBug is { } s ? (s * 1000).ToString(s >= 0.1 ? "N0" : "0.0", CultureInfo.InvariantCulture) : "—";

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString(r >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) : "—";

    private static string Clean(EngineRuns runs)
    {
        var bug = runs.Runs.FirstOrDefault(r => r.Bug is not null)?.Bug;
        return bug is null ? $"clean ({Numbers.Count(runs.Iterations)} it.)" : $"BUG {bug.Kind}";
    }

    private static void Row(TextWriter writer, params string[] cells) =>
        writer.WriteLine("| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");

    /// <summary>The header rule: text columns left-aligned, numbers right-aligned.</summary>
    private static void Rule(TextWriter writer, int columns, int firstText) =>
        writer.WriteLine("|" + string.Concat(Enumerable.Range(0, columns).Select(i => i < firstText ? " --- |" : " ---: |")));
}
