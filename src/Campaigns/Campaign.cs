using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The campaign over one catalog: plan a request into jobs, run them (on workers, or one shard of them) into a
/// verdict with every bug's trace, merge shards, replay and minimize traces, and turn a stress failure into a trace.
/// The <c>hmc</c> CLI is parsing and rendering over this class; a test suite or another program calls it the same
/// way. The default campaign — every scenario of the model on the correct model, the portfolio, a minute:
/// <code>
/// var result = Campaign.Model.Run(new CampaignRequest { Seed = 7, TimeLimit = CampaignRequest.DefaultTimeLimit },
///     new CampaignRunOptions { Workers = Environment.ProcessorCount });
/// foreach (var job in result.Jobs) Console.WriteLine($"{job.Job.Label}: {Verdict.Result(job)}");
/// return result.ExitCode;
/// </code>
/// </summary>
public sealed class Campaign
{
    /// <summary>A campaign over <paramref name="catalog"/>.</summary>
    public Campaign(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
    }

    /// <summary>The campaign over the model's own catalog (<see cref="ModelCatalog"/>).</summary>
    public static Campaign Model { get; } = new(ModelCatalog.Instance);

    /// <summary>The scenarios and variants it runs.</summary>
    public ICatalog Catalog { get; }

    /// <summary>
    /// The jobs of <paramref name="request"/> (of the whole campaign, also when <paramref name="shard"/> is given).
    /// Unknown names, a strategy the engine lacks, parameters a named scenario refuses, or a shard of an engine that
    /// cannot start part-way are <see cref="CampaignException"/>s.
    /// </summary>
    public TestPlan Plan(CampaignRequest request, Shard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (shard is not null && request.Engine != CampaignEngines.Hmc)
            throw new CampaignException($"--shard runs on the hmc engine only (Coyote cannot start part-way through a run)");
        return TestPlanner.Plan(Catalog, request);
    }

    /// <summary>Plans <paramref name="request"/> and runs it (see <see cref="Run(TestPlan, CampaignRequest, CampaignRunOptions?, CancellationToken)"/>).</summary>
    public CampaignResult Run(CampaignRequest request, CampaignRunOptions? options = null, CancellationToken cancellation = default) =>
        Run(Plan(request, options?.Shard), request, options, cancellation);

    /// <summary>
    /// Runs <paramref name="plan"/>, planned from <paramref name="request"/>. Traces are written as bugs are found and the
    /// summary at the end (under <see cref="CampaignRunOptions.Output"/>, if given). Cancellation stops it between
    /// iterations; a failure of the tool itself ends it too. Either way the result reports every job that ran, and
    /// <see cref="CampaignResult.Failure"/> holds the failure.
    /// </summary>
    public CampaignResult Run(TestPlan plan, CampaignRequest request, CampaignRunOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        options ??= new CampaignRunOptions();
        var time = options.Time;
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var runner = new CampaignRunner(plan, request, options.Output, time, options.Workers, options.Shard);
        Exception? failure = null;
        try
        {
            runner.Run(options.Progress, cancellation);
        }
        catch (Exception e)
        {
            // Keep what was found before the failure: the caller reports the failure itself.
            failure = e;
        }
        var elapsed = time.GetElapsedTime(started);
        var outcomes = runner.Outcomes;
        var shard = options.Shard;
        var exitCode = failure is not null ? ExitCodes.InternalError
            // A shard that ran its part succeeded whatever it found: schedulers would retry a failed one, and the merge decides.
            : shard is not null && !runner.Canceled ? ExitCodes.Clean
            : Verdict.ExitCode(plan, outcomes, runner.Canceled);
        var summary = TestSummary.From(plan, request, outcomes, startedAt, elapsed, runner.Canceled,
            failure is null ? null : $"{failure.GetType().Name}: {failure.Message}", exitCode, shard,
            shard is null ? null : UnitSummaries(runner.CountedUnits, outcomes));
        var path = options.Output?.WriteSummary("test", JsonOutput.Serialize(summary));
        return new CampaignResult(plan, request, outcomes, runner.Canceled, failure, exitCode, summary, options.Output, path, elapsed);
    }

    /// <summary>
    /// Joins the output directories of every shard of one campaign into the result the unsharded run would have given
    /// (the same jobs, bugs, traces and verdict); the merged summary and the bugs' traces go to a new run under
    /// <paramref name="outDirectory"/>. Summaries that are malformed, of different campaigns or tools, or a shard
    /// missing or given twice, are <see cref="CampaignException"/>s, raised before anything is written.
    /// </summary>
    public CampaignResult Merge(IReadOnlyList<string> shardDirectories, string outDirectory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(shardDirectories);
        time ??= TimeProvider.System;
        var shards = ShardMerge.Read(shardDirectories);
        var output = RunOutput.Open(outDirectory, time.GetUtcNow());
        var merged = ShardMerge.Merge(Catalog, shards, output);
        var exitCode = Verdict.ExitCode(merged.Plan, merged.Outcomes, canceled: false);
        var summary = TestSummary.From(merged.Plan, merged.Request, merged.Outcomes, merged.StartedAt, merged.Elapsed, canceled: false,
            error: null, exitCode);
        var path = output.WriteSummary("test", JsonOutput.Serialize(summary));
        return new CampaignResult(merged.Plan, merged.Request, merged.Outcomes, canceled: false, failure: null, exitCode, summary, output, path,
            merged.Elapsed, shards.Count);
    }

    /// <summary>
    /// What a trace replays on: the trace, its scenario in this catalog and its parameters, checked; its
    /// <see cref="TraceTarget.Replay"/> and <see cref="TraceTarget.Minimize"/> re-run and shrink it.
    /// </summary>
    public TraceTarget Resolve(string traceJson) => TraceTarget.Resolve(Catalog, traceJson);


    /// <summary>The scenario, parameters and variant of a stress run, checked (see <see cref="StressTarget.Resolve"/>).</summary>
    public StressTarget ResolveStress(StressRequest request) => StressTarget.Resolve(Catalog, request);

    /// <summary>
    /// Runs <paramref name="target"/> natively on real threads for the request's duration (or until cancelled): its
    /// throughput, latencies, invariant checks and hung-task watchdog.
    /// </summary>
    public static StressReport Stress(StressTarget target, StressRequest request, IProgress<StressProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        var options = new StressOptions { Duration = request.Duration, Progress = progress, Perturbation = request.Perturbation, Seed = request.Seed };
        if (request.Watchdog is { } w) options = options with { WatchdogTimeout = w };
        if (request.PerturbationProblem() is { } problem) throw new CampaignException($"perturbation refused: {problem}");
        return target.Scenario.RunStress(target.Parameters, options, cancellation);
    }

    /// <summary>
    /// Searches a failed stress run's target under the systematic engine (the portfolio, the request's seed, for
    /// <see cref="StressRequest.ReproduceFor"/>) and writes the trace it finds to <paramref name="output"/>.
    /// </summary>
    public static StressReproduction ReproduceStress(StressTarget target, StressRequest request, RunOutput? output, IRunProgress? progress = null,
        TimeProvider? time = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StressReproducer.Run(target, request.Seed, request.ReproduceFor, output, progress ?? NoProgress.Instance, time ?? TimeProvider.System,
            cancellation);
    }

    /// <summary>A shard's units for the merge; the unit whose bug its job reported names the trace.</summary>
    private static List<UnitSummary> UnitSummaries(IReadOnlyList<UnitResult> units, IReadOnlyList<JobOutcome> outcomes)
    {
        var traces = outcomes.Where(o => o.Bug is not null).ToDictionary(o => o.Bug!, o => o.TracePath);
        return units.Select(u => UnitSummary.From(u, u.Bug is { } b ? traces.GetValueOrDefault(b) : null)).ToList();
    }
}
