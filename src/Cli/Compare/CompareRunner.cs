using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Testing;

namespace HighMemConcurrency.Cli.Compare;

/// <summary>
/// Runs a comparison: every variant under every strategy pair, each seed on our engine then on Coyote's (so that both
/// see the same machine load over time), then each scenario's correct model. Jobs come from <see cref="TestPlanner"/>
/// and run through <see cref="JobRunner"/>, exactly as <c>hmc test</c> runs them. Rows accumulate as they complete,
/// so Ctrl+C still leaves every finished row.
/// </summary>
internal sealed class CompareRunner(ICatalog catalog, CompareRequest request, RunOutput output, TimeProvider time, TextWriter progress)
{
    private readonly List<VariantComparison> _variants = [];
    private readonly List<ModelComparison> _models = [];

    public IReadOnlyList<VariantComparison> Variants => _variants;

    public IReadOnlyList<ModelComparison> Models => _models;

    /// <summary>True when Ctrl+C stopped the run before every row ran.</summary>
    public bool Canceled { get; private set; }

    /// <summary>Rows the run was going to produce.</summary>
    public int PlannedRows => request.Variants.Count * request.Pairs.Count + ModelJobs().Count * request.Pairs.Count;

    /// <summary>The job of each variant: on the first scenario its documentation names, as <c>hmc test --variant</c> runs it.</summary>
    public IReadOnlyList<TestJob> VariantJobs() =>
        request.Variants.Select(name =>
        {
            var variant = catalog.Variant(name, TestPlanner.All);
            var scenario = variant.Scenarios.FirstOrDefault() ?? throw new UsageException($"variant '{name}' names no scenario");
            return TestPlanner.Plan(catalog, Request(scenario, name, request.Iterations)).Jobs[0];
        }).ToList();

    /// <summary>The correct model's jobs: the scenarios <c>hmc test</c> runs by default.</summary>
    public IReadOnlyList<TestJob> ModelJobs() => request.ModelIterations == 0 ? [] : ModelPlan();

    private List<TestJob> ModelPlan() =>
        TestPlanner.Plan(catalog, Request(null, TestPlanner.None, Math.Max(1, request.ModelIterations))).Jobs.Where(j => j.Rejected is null).ToList();

    private TestRequest Request(string? scenario, string variant, int iterations) =>
        new(scenario, variant, null, iterations, request.BaseSeed, null, null, request.TimeLimit);

    public void Run(CancellationToken cancellation)
    {
        var variantJobs = VariantJobs();
        var modelJobs = ModelJobs();
        var rows = PlannedRows;
        var row = 0;
        foreach (var job in variantJobs)
        {
            WarmUp(job, cancellation);
            foreach (var pair in request.Pairs)
            {
                var runs = RunBoth(job, pair, request.SeedList, request.Iterations, cancellation);
                if (runs is null) return;
                var comparison = new VariantComparison(job.Variant!.Name, job.Scenario.Name, pair, runs.Value.Ours, runs.Value.Coyote);
                _variants.Add(comparison);
                progress.WriteLine($"[{++row}/{rows}] {comparison.Variant} ({pair.Label}): " +
                                   $"ours {Found(comparison.Ours)}, coyote {Found(comparison.Coyote)}");
            }
        }
        foreach (var job in modelJobs)
        {
            WarmUp(job, cancellation);
            foreach (var pair in request.Pairs)
            {
                var runs = RunBoth(job, pair, [request.SeedList[0]], request.ModelIterations, cancellation);
                if (runs is null) return;
                var comparison = new ModelComparison(job.Scenario.Name, pair, runs.Value.Ours, runs.Value.Coyote);
                _models.Add(comparison);
                progress.WriteLine($"[{++row}/{rows}] {comparison.Scenario}, correct model ({pair.Label}): " +
                                   $"ours {Clean(comparison.Ours)}, coyote {Clean(comparison.Coyote)}");
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
            var mine = RunOne(job with { Strategy = pair.Ours }, Engines.Hmc, seed, iterations, cancellation);
            var theirs = mine is null ? null : RunOne(job with { Strategy = pair.Coyote }, Engines.Coyote, seed, iterations, cancellation);
            if (mine is null || theirs is null)
            {
                Canceled = true;
                return null;
            }
            ours.Add(mine);
            coyote.Add(theirs);
        }
        return (new EngineRuns(Engines.Hmc, pair.Ours, ours), new EngineRuns(Engines.Coyote, pair.Coyote, coyote));
    }

    private JobOutcome? RunOne(TestJob job, string engine, ulong seed, int iterations, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested) return null;
        var outcome = JobRunner.Run(job, iterations, seed, request.TimeLimit, NoProgress.Instance, output, time, cancellation, engine);
        return outcome.Stop == JobStop.Canceled ? null : outcome;
    }

    /// <summary>
    /// The first run of each engine in a process pays for loading its runtime (Coyote: about a second), and the first
    /// run of a scenario for compiling its code: one unmeasured iteration per job and engine keeps that out of the row.
    /// </summary>
    private void WarmUp(TestJob job, CancellationToken cancellation)
    {
        foreach (var engine in Engines.All)
            RunOne(job with { Strategy = StrategyNames.Random }, engine, request.SeedList[0], 1, cancellation);
    }

    private string Found(EngineRuns runs) =>
        $"{runs.Found}/{runs.Runs.Count}" + (runs.MedianIterationsToBug is { } m ? $" median {CompareTable.Iterations(m)}" : "") +
        $", {Numbers.Rate(runs.SchedulesPerSecond)} schedules/s";

    private static string Clean(EngineRuns runs) =>
        (runs.WithBug == 0 ? "clean" : $"BUG {runs.Runs.First(r => r.Bug is not null).Bug!.Kind}") +
        $" ({Numbers.Count(runs.Iterations)} iterations, {Numbers.Rate(runs.SchedulesPerSecond)} schedules/s)";

    /// <summary>The comparison prints a line per row, not per iteration.</summary>
    private sealed class NoProgress : IJobProgress
    {
        public static readonly NoProgress Instance = new();

        public void Update(int iterations, TimeSpan elapsed)
        {
        }

        public void Finish(JobOutcome outcome)
        {
        }
    }
}
