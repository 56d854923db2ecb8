using System.Globalization;

namespace HighMemConcurrency.Campaigns;

/// <summary>The JSON document of an <c>hmc compare</c> run (<c>hmc-compare/1</c>), written to <c>--out</c> and printed by <c>--json</c>.</summary>
/// <param name="Format"><see cref="FormatId"/>.</param>
/// <param name="Tool">Tool name and version.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="ElapsedSeconds">Its wall-clock time.</param>
/// <param name="BaseSeed">The seed the seeds were spread from.</param>
/// <param name="Seeds">Every run's seeds, in order.</param>
/// <param name="IterationsPerRun">Iteration budget of one run.</param>
/// <param name="TimeLimitPerRunSeconds">Time budget of one run.</param>
/// <param name="ModelIterations">Iterations of each correct-model run.</param>
/// <param name="Pairs">The strategy pairs, <c>ours:coyote</c>.</param>
/// <param name="Outcome">The run in words (<see cref="CompareRunner.Outcome"/>).</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Canceled">True when a cancel cut it short.</param>
/// <param name="PlannedRows">Rows it was going to produce.</param>
/// <param name="Variants">The variant rows done.</param>
/// <param name="Model">The correct-model rows done.</param>
/// <param name="Error">The tool's own failure, or null.</param>
/// <param name="Parameters">The scenario parameters every row overrode (name to value).</param>
public sealed record CompareSummary(
    string Format,
    string Tool,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    string BaseSeed,
    IReadOnlyList<string> Seeds,
    int IterationsPerRun,
    double TimeLimitPerRunSeconds,
    int ModelIterations,
    IReadOnlyList<string> Pairs,
    string Outcome,
    int ExitCode,
    bool Canceled,
    int PlannedRows,
    IReadOnlyList<VariantRow> Variants,
    IReadOnlyList<ModelRow> Model,
    string? Error,
    IReadOnlyDictionary<string, int>? Parameters = null)
{
    /// <summary>The format's name and version.</summary>
    public const string FormatId = "hmc-compare/1";

    /// <summary>The summary of <paramref name="runner"/>'s rows so far; <paramref name="failure"/> is the tool's own failure, if any.</summary>
    public static CompareSummary From(CompareRequest request, CompareRunner runner, DateTimeOffset startedAt, TimeSpan elapsed, Exception? failure)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runner);
        var o = request.Overrides;
        var given = new (string Name, int? Value)[]
            { ("cpus", o.Cpus), ("tasksPerCpu", o.TasksPerCpu), ("lastPkmap", o.LastPkmap), ("pages", o.Pages), ("opsPerTask", o.OpsPerTask) };
        return new(FormatId, ToolInfo.NameAndVersion, startedAt, TestSummary.Seconds(elapsed), Text(request.BaseSeed),
            request.SeedList.Select(Text).ToList(), request.Iterations, TestSummary.Seconds(request.TimeLimit), request.ModelIterations,
            request.Pairs.Select(p => $"{p.Ours}:{p.Coyote}").ToList(), runner.Outcome(failure), runner.ExitCode(failure), runner.Canceled,
            runner.PlannedRows, runner.Variants.Select(VariantRow.From).ToList(), runner.Models.Select(ModelRow.From).ToList(),
            failure is null ? null : $"{failure.GetType().Name}: {failure.Message}",
            given.Where(g => g.Value is not null).ToDictionary(g => g.Name, g => g.Value!.Value));
    }

    internal static string Text(ulong seed) => seed.ToString(CultureInfo.InvariantCulture);

    internal static double? Round(double? value, int digits) => value is { } v ? Math.Round(v, digits) : null;
}

/// <summary>A variant under one strategy pair.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="Scenario">The scenario it ran on.</param>
/// <param name="ExpectedKind">The kind its documentation promises.</param>
/// <param name="Ours">Our engine's side.</param>
/// <param name="Coyote">Coyote's side.</param>
/// <param name="IterationsRatio">Median iterations to the bug, ours / Coyote's.</param>
/// <param name="SpeedRatio">Schedules per second, ours / Coyote's.</param>
/// <param name="TimeRatio">Median time to the bug, ours / Coyote's.</param>
public sealed record VariantRow(string Variant, string Scenario, string ExpectedKind, EngineSide Ours, EngineSide Coyote,
    double? IterationsRatio, double? SpeedRatio, double? TimeRatio)
{
    /// <summary>The row of <paramref name="v"/>.</summary>
    public static VariantRow From(VariantComparison v) =>
        new(v.Variant, v.Scenario, v.Ours.Runs[0].Job.Variant!.ExpectedKind.ToString(), EngineSide.From(v.Ours), EngineSide.From(v.Coyote),
            CompareSummary.Round(v.IterationsRatio, 3), CompareSummary.Round(v.SpeedRatio, 3), CompareSummary.Round(v.TimeRatio, 3));
}

/// <summary>A scenario's correct model under one strategy pair.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Ours">Our engine's side.</param>
/// <param name="Coyote">Coyote's side.</param>
/// <param name="SpeedRatio">Schedules per second, ours / Coyote's.</param>
public sealed record ModelRow(string Scenario, EngineSide Ours, EngineSide Coyote, double? SpeedRatio)
{
    /// <summary>The row of <paramref name="m"/>.</summary>
    public static ModelRow From(ModelComparison m) =>
        new(m.Scenario, EngineSide.From(m.Ours), EngineSide.From(m.Coyote), CompareSummary.Round(m.SpeedRatio, 3));
}

/// <summary>One engine's side of a row; <paramref name="MedianIterationsToBug"/> is null when half the seeds or more missed.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Strategy">Its strategy.</param>
/// <param name="Found">Seeds that found the variant as documented.</param>
/// <param name="Bugs">Seeds that found any bug.</param>
/// <param name="SeedCount">Seeds run.</param>
/// <param name="MedianIterationsToBug">Median iterations to the bug, or null.</param>
/// <param name="MedianSecondsToBug">Median seconds to the bug, or null.</param>
/// <param name="Iterations">Iterations over every seed.</param>
/// <param name="ElapsedSeconds">Time over every seed.</param>
/// <param name="SchedulesPerSecond">Their rate.</param>
/// <param name="Clean">True when no seed found a bug.</param>
/// <param name="Runs">One run per seed.</param>
public sealed record EngineSide(string Engine, string Strategy, int Found, int Bugs, int SeedCount, double? MedianIterationsToBug,
    double? MedianSecondsToBug, int Iterations, double ElapsedSeconds, double SchedulesPerSecond, bool Clean, IReadOnlyList<SeedRun> Runs)
{
    /// <summary>The side of <paramref name="r"/>.</summary>
    public static EngineSide From(EngineRuns r) =>
        new(r.Engine, r.Strategy, r.Found, r.WithBug, r.Runs.Count, r.MedianIterationsToBug,
            CompareSummary.Round(r.MedianSecondsToBug, 4), r.Iterations, TestSummary.Seconds(r.Elapsed),
            Math.Round(r.SchedulesPerSecond, 1), r.WithBug == 0, r.Runs.Select(SeedRun.From).ToList());
}

/// <summary>One engine run with one seed: what stopped it and what it found.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="ElapsedSeconds">Wall-clock time.</param>
/// <param name="Stop">Why it stopped (<see cref="JobStop"/>).</param>
/// <param name="BugKind">The bug's kind, or null.</param>
/// <param name="BugMessage">Its message, or null.</param>
/// <param name="IterationsToBug">Iterations until it, or null.</param>
/// <param name="FoundAsExpected">True when it is the variant's documented kind.</param>
/// <param name="Trace">Its trace file, or null.</param>
public sealed record SeedRun(string Seed, int Iterations, double ElapsedSeconds, string Stop, string? BugKind, string? BugMessage,
    int? IterationsToBug, bool FoundAsExpected, string? Trace)
{
    /// <summary>The run of <paramref name="o"/>.</summary>
    public static SeedRun From(JobOutcome o) =>
        new(CompareSummary.Text(o.Slices[0].Slice.Seed), o.Iterations, TestSummary.Seconds(o.Elapsed), o.Stop.ToString(),
            o.Bug?.Kind.ToString(), o.Bug?.Message, o.IterationsToBug, o.FoundAsExpected, o.TracePath);
}
