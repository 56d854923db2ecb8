using System.Globalization;

namespace HighMemConcurrency.Campaigns;

/// <summary>The JSON summary of an <c>hmc test</c> run (<c>hmc-test-summary/1</c>), written to <c>--out</c> and printed by <c>--json</c>.</summary>
/// <param name="Format"><see cref="FormatId"/>.</param>
/// <param name="Tool">Tool name and version.</param>
/// <param name="Mode">Model, Variant or SelfCheck (<see cref="TestMode"/>).</param>
/// <param name="StartedAt">When the run started (UTC).</param>
/// <param name="ElapsedSeconds">Its wall-clock time.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="IterationsPerJob">Iteration budget of each job.</param>
/// <param name="TimeLimitSeconds">The run's time limit, or null.</param>
/// <param name="Outcome">The run in one word (<see cref="Verdict.Outcome"/>, or <c>error</c>).</param>
/// <param name="ExitCode">The process exit code (<see cref="ExitCodes"/>).</param>
/// <param name="Canceled">True when a cancel stopped the run before every job ran.</param>
/// <param name="PlannedJobs">Jobs the plan had.</param>
/// <param name="Jobs">The jobs that ran (or were refused), in plan order.</param>
/// <param name="SelfCheck">Per variant of a self-check, whether it was found; null otherwise.</param>
/// <param name="Error">The tool's own failure, or null.</param>
/// <param name="Campaign">What the run was, for <c>hmc merge</c>.</param>
/// <param name="Shard">Which shard this run was, or null.</param>
/// <param name="Units">A shard's work units, for the merge; null otherwise.</param>
public sealed record TestSummary(
    string Format,
    string Tool,
    string Mode,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    string Seed,
    int IterationsPerJob,
    double? TimeLimitSeconds,
    string Outcome,
    int ExitCode,
    bool Canceled,
    int PlannedJobs,
    IReadOnlyList<JobSummary> Jobs,
    IReadOnlyList<VariantCheck>? SelfCheck,
    string? Error,
    CampaignIdentity? Campaign = null,
    ShardSummary? Shard = null,
    IReadOnlyList<UnitSummary>? Units = null)
{
    /// <summary>The format's name and version.</summary>
    public const string FormatId = "hmc-test-summary/1";

    /// <summary>
    /// Builds the summary of a run, finished or not (<paramref name="error"/> set when the tool failed). It names the
    /// campaign; a shard's also says which shard it was and lists its units for <c>hmc merge</c>, whose jobs are only
    /// what this shard ran of them.
    /// </summary>
    public static TestSummary From(TestPlan plan, CampaignRequest request, IReadOnlyList<JobOutcome> outcomes,
        DateTimeOffset startedAt, TimeSpan elapsed, bool canceled, string? error, int exitCode,
        Shard? shard = null, IReadOnlyList<UnitSummary>? units = null) =>
        new(FormatId, ToolInfo.NameAndVersion, plan.Mode.ToString(), startedAt, Seconds(elapsed),
            request.Seed.ToString(CultureInfo.InvariantCulture), request.Iterations,
            request.TimeLimit is { } t ? Seconds(t) : null,
            error is null ? Verdict.Outcome(plan, outcomes, canceled) : "error", exitCode, canceled, plan.Jobs.Count,
            outcomes.Select(JobSummary.From).ToList(),
            plan.Mode == TestMode.SelfCheck ? VariantCheck.From(plan, outcomes) : null, error,
            CampaignIdentity.Of(plan, request), shard is null ? null : new ShardSummary(shard.Number, shard.Count), shard is null ? null : units);

    internal static double Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 3);
}

/// <summary>One job of a test run.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Variant">The variant, or <c>none</c>.</param>
/// <param name="Strategy">The job's strategy (or portfolio).</param>
/// <param name="Parameters">The scenario parameters it ran with, as traces name them.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Steps">Scheduling steps over them.</param>
/// <param name="ElapsedSeconds">Wall-clock time.</param>
/// <param name="SchedulesPerSecond">Iterations per second.</param>
/// <param name="Stop">Why it stopped (<see cref="JobStop"/>).</param>
/// <param name="Result">Its result cell (<see cref="Verdict.Result"/>).</param>
/// <param name="Slices">Its engine runs, in order.</param>
/// <param name="Bug">The bug found, or null.</param>
/// <param name="Coverage">
/// The model events: every one the scenario declares (in its order, unreached ones with 0 schedules), then any other
/// its schedules reached (in ordinal order).
/// </param>
public sealed record JobSummary(
    string Scenario,
    string Variant,
    string Strategy,
    IReadOnlyDictionary<string, string> Parameters,
    int Iterations,
    long Steps,
    double ElapsedSeconds,
    double SchedulesPerSecond,
    string Stop,
    string Result,
    IReadOnlyList<SliceSummary> Slices,
    BugSummary? Bug,
    IReadOnlyList<EventCoverage>? Coverage = null)
{
    /// <summary>The summary of <paramref name="o"/>.</summary>
    public static JobSummary From(JobOutcome o) =>
        new(o.Job.Scenario.Name, o.Job.Parameters.Variant, o.Job.Strategy, o.Job.Parameters.ToDictionary(), o.Iterations, o.Steps,
            TestSummary.Seconds(o.Elapsed), Math.Round(o.SchedulesPerSecond, 1), o.Stop.ToString(), Verdict.Result(o),
            o.Slices.Select(s => new SliceSummary(s.Slice.Strategy, s.Slice.Seed.ToString(CultureInfo.InvariantCulture), s.Slice.PctDepth,
                s.Slice.Iterations, s.Iterations, TestSummary.Seconds(s.Elapsed), s.Stop.ToString())).ToList(),
            o.Bug is { } b
                ? new BugSummary(b.Kind.ToString(), b.Message, b.Iteration, o.IterationsToBug!.Value, o.FindingSlice!.Strategy,
                    o.FindingSlice.Seed.ToString(CultureInfo.InvariantCulture), o.TracePath)
                : null,
            EventCoverage.Of(o));
}

/// <summary>How many of a job's schedules reached one model event (<c>Sim.Cover</c>).</summary>
/// <param name="Event">The event.</param>
/// <param name="Schedules">Iterations of the job that reached it; 0 for a declared event none reached.</param>
/// <param name="Expected">True when the scenario declares it (<see cref="HighMem.Scenarios.IScenario.Events"/>).</param>
public sealed record EventCoverage(string Event, int Schedules, bool Expected)
{
    /// <summary>The declared events of <paramref name="o"/>'s scenario in its order, then the others it reached in ordinal order.</summary>
    public static IReadOnlyList<EventCoverage> Of(JobOutcome o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var reached = o.Coverage;
        var declared = o.Job.Scenario.Events;
        return [.. declared.Select(e => new EventCoverage(e, reached.GetValueOrDefault(e), true)),
            .. reached.Where(r => !declared.Contains(r.Key)).Select(r => new EventCoverage(r.Key, r.Value, false))];
    }
}

/// <summary>One engine run of a job (a portfolio has several).</summary>
/// <param name="Strategy">The engine strategy.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="PctDepth">PCT depth d.</param>
/// <param name="IterationBudget">Its share of the job's iterations.</param>
/// <param name="Iterations">Iterations it ran.</param>
/// <param name="ElapsedSeconds">Its wall-clock time.</param>
/// <param name="Stop">Why it stopped (<see cref="JobStop"/>).</param>
public sealed record SliceSummary(string Strategy, string Seed, int PctDepth, int IterationBudget, int Iterations, double ElapsedSeconds, string Stop);

/// <summary>A bug found by a job; <paramref name="Trace"/> is the file <c>hmc replay</c> takes.</summary>
/// <param name="Kind">The bug's kind.</param>
/// <param name="Message">Its message.</param>
/// <param name="Iteration">The slice iteration that found it.</param>
/// <param name="IterationsToBug">Iterations until it, over the job.</param>
/// <param name="Strategy">The strategy of the slice that found it.</param>
/// <param name="Seed">That slice's seed.</param>
/// <param name="Trace">The file <c>hmc replay</c> takes.</param>
public sealed record BugSummary(string Kind, string Message, int Iteration, int IterationsToBug, string Strategy, string Seed, string? Trace);

/// <summary>The self-check's verdict on one variant.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="ExpectedKind">The bug kind its documentation promises.</param>
/// <param name="BugClass">Its class in the model's words.</param>
/// <param name="Found">True when a job found it as that kind.</param>
/// <param name="FoundKind">What the job shown found, or null.</param>
/// <param name="Scenario">That job's scenario, or null.</param>
/// <param name="IterationsToBug">Iterations until the bug, or null.</param>
/// <param name="Trace">The bug's trace file, or null.</param>
public sealed record VariantCheck(string Variant, string ExpectedKind, string BugClass, bool Found, string? FoundKind,
    string? Scenario, int? IterationsToBug, string? Trace)
{
    /// <summary>The self-check's verdict on each variant of <paramref name="plan"/>.</summary>
    public static IReadOnlyList<VariantCheck> From(TestPlan plan, IReadOnlyList<JobOutcome> outcomes) =>
        Verdict.SelfCheck(plan, outcomes).Select(v =>
        {
            var variant = plan.Jobs.First(j => j.Variant!.Name == v.Variant).Variant!;
            // When it was not found as expected, still say what the last attempt found, if anything.
            var shown = v.Finding ?? outcomes.LastOrDefault(o => o.Job.Variant?.Name == v.Variant && o.Bug is not null);
            return new VariantCheck(v.Variant, variant.ExpectedKind.ToString(), variant.BugClass, v.Finding is not null,
                shown?.Bug?.Kind.ToString(), shown?.Job.Scenario.Name, shown?.IterationsToBug, shown?.TracePath);
        }).ToList();
}
