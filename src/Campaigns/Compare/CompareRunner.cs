using HighMemConcurrency.Systematic;
namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Runs a comparison: every variant under every strategy pair, each seed on our engine then on Coyote's (so that both
/// see the same machine load over time), then each scenario's correct model. Jobs come from <see cref="TestPlanner"/>
/// and run through <see cref="JobRunner"/>, exactly as <c>hmc test</c> runs them. Rows accumulate as they complete,
/// so Ctrl+C still leaves every finished row; a listener hears of each one as it completes.
/// </summary>
public sealed class CompareRunner
{
    private readonly ICatalog _catalog;
    private readonly CompareRequest _request;
    private readonly TimeProvider _time;
    private readonly Action<ComparisonRow, int, int>? _rowDone;
    private readonly List<VariantComparison> _variants = [];
    private readonly List<ModelComparison> _models = [];
    private RunOutput? _output;

    /// <summary>
    /// Plans the comparison: unknown variants and parameters a scenario refuses are <see cref="CampaignException"/>s
    /// here, before anything runs.
    /// </summary>
    /// <param name="catalog">The variants and scenarios.</param>
    /// <param name="request">What to compare.</param>
    /// <param name="time">The clock of elapsed times and time limits.</param>
    /// <param name="rowDone">Told of each finished row with its number (from 1) and the number of rows planned.</param>
    public CompareRunner(ICatalog catalog, CompareRequest request, TimeProvider time, Action<ComparisonRow, int, int>? rowDone = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        _catalog = catalog;
        _request = request;
        _time = time;
        _rowDone = rowDone;
        VariantJobs = PlanVariants();
        ModelJobs = _request.ModelIterations == 0 ? [] : PlanModel();
    }

    /// <summary>The job of each variant: on the first scenario its documentation names, as <c>hmc test --variant</c> runs it.</summary>
    public IReadOnlyList<TestJob> VariantJobs { get; }

    /// <summary>The correct model's jobs: the scenarios <c>hmc test</c> runs by default.</summary>
    public IReadOnlyList<TestJob> ModelJobs { get; }

    /// <summary>The variant rows done so far.</summary>
    public IReadOnlyList<VariantComparison> Variants => _variants;

    /// <summary>The correct-model rows done so far.</summary>
    public IReadOnlyList<ModelComparison> Models => _models;

    /// <summary>True when Ctrl+C stopped the run before every row ran.</summary>
    public bool Canceled { get; private set; }

    /// <summary>True when a correct-model row found a bug (on either engine).</summary>
    public bool ModelBug => _models.Any(m => m.Ours.WithBug > 0 || m.Coyote.WithBug > 0);

    /// <summary>
    /// The run's exit code: <see cref="ExitCodes.InternalError"/> after a <paramref name="failure"/>, else
    /// <see cref="ExitCodes.BugFound"/> when a correct model had a bug, <see cref="ExitCodes.Canceled"/>, or clean.
    /// </summary>
    public int ExitCode(Exception? failure) =>
        failure is not null ? ExitCodes.InternalError : ModelBug ? ExitCodes.BugFound : Canceled ? ExitCodes.Canceled : ExitCodes.Clean;

    /// <summary>The run in words, matching <see cref="ExitCode"/>.</summary>
    public string Outcome(Exception? failure) =>
        failure is not null ? "error" : ModelBug ? "bug found in the correct model" : Canceled ? "canceled" : "done";

    /// <summary>Rows the run was going to produce.</summary>
    public int PlannedRows => (VariantJobs.Count + ModelJobs.Count) * _request.Pairs.Count;

    private List<TestJob> PlanVariants() =>
        _request.Variants.Select(name =>
        {
            var variant = _catalog.Variant(name, TestPlanner.All);
            if (variant.MemoryModel != MemoryModel.Sc)
                throw new CampaignException($"variant '{name}' is found only under memory model '{MemoryModelNames.Name(variant.MemoryModel)}', which Coyote does not run: there is nothing to compare");
            var scenario = variant.Scenarios.FirstOrDefault() ?? throw new CampaignException($"variant '{name}' names no scenario");
            return TestPlanner.Plan(_catalog, Request(scenario, name, _request.Iterations)).Jobs[0];
        }).ToList();

    private List<TestJob> PlanModel() =>
        TestPlanner.Plan(_catalog, Request(null, TestPlanner.None, Math.Max(1, _request.ModelIterations))).Jobs.Where(j => j.Rejected is null).ToList();

    private CampaignRequest Request(string? scenario, string variant, int iterations) => new()
    {
        Scenario = scenario,
        Variant = variant,
        Iterations = iterations,
        Seed = _request.BaseSeed,
        TimeLimit = _request.TimeLimit,
        Overrides = _request.Overrides,
    };

    /// <summary>Runs every row, or those before a cancellation; bugs' traces go to <paramref name="output"/> (none when null).</summary>
    public void Run(RunOutput? output, CancellationToken cancellation)
    {
        _output = output;
        var rows = PlannedRows;
        var row = 0;
        foreach (var job in VariantJobs)
        {
            WarmUp(job, cancellation);
            foreach (var pair in _request.Pairs)
            {
                var runs = RunBoth(job, pair, _request.SeedList, _request.Iterations, cancellation);
                if (runs is null) return;
                var comparison = new VariantComparison(job.Variant!.Name, job.Scenario.Name, pair, runs.Value.Ours, runs.Value.Coyote);
                _variants.Add(comparison);
                _rowDone?.Invoke(comparison, ++row, rows);
            }
        }
        foreach (var job in ModelJobs)
        {
            WarmUp(job, cancellation);
            foreach (var pair in _request.Pairs)
            {
                var runs = RunBoth(job, pair, [_request.SeedList[0]], _request.ModelIterations, cancellation);
                if (runs is null) return;
                var comparison = new ModelComparison(job.Scenario.Name, pair, runs.Value.Ours, runs.Value.Coyote);
                _models.Add(comparison);
                _rowDone?.Invoke(comparison, ++row, rows);
            }
        }
    }

    /// <summary>Both engines' runs of one job over the seeds, or null (and <see cref="Canceled"/>) when Ctrl+C cut it short.</summary>
    private (EngineRuns Ours, EngineRuns Coyote)? RunBoth(TestJob job, StrategyPair pair, IReadOnlyList<ulong> seeds, int iterations,
        CancellationToken cancellation)
    {
        var ours = new List<JobOutcome>(seeds.Count);
        var coyote = new List<JobOutcome>(seeds.Count);
        foreach (var seed in seeds)
        {
            var mine = RunOne(job with { Strategy = pair.Ours }, CampaignEngines.Hmc, seed, iterations, cancellation);
            var theirs = mine is null ? null : RunOne(job with { Strategy = pair.Coyote }, CampaignEngines.Coyote, seed, iterations, cancellation);
            if (mine is null || theirs is null)
            {
                Canceled = true;
                return null;
            }
            ours.Add(mine);
            coyote.Add(theirs);
        }
        return (new EngineRuns(CampaignEngines.Hmc, pair.Ours, ours), new EngineRuns(CampaignEngines.Coyote, pair.Coyote, coyote));
    }

    private JobOutcome? RunOne(TestJob job, string engine, ulong seed, int iterations, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested) return null;
        var outcome = JobRunner.Run(job, iterations, seed, _request.TimeLimit, NoProgress.Instance, _output, _time, cancellation, engine);
        return outcome.Stop == JobStop.Canceled ? null : outcome;
    }

    /// <summary>
    /// The first run of each engine in a process pays for loading its runtime (Coyote: about a second), and the first
    /// run of a scenario for compiling its code: one unmeasured iteration per job and engine keeps that out of the row.
    /// </summary>
    private void WarmUp(TestJob job, CancellationToken cancellation)
    {
        foreach (var engine in CampaignEngines.Names)
            RunOne(job with { Strategy = StrategyNames.Random }, engine, _request.SeedList[0], 1, cancellation);
    }
}
