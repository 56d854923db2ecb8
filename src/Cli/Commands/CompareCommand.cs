using System.CommandLine;
using System.Runtime.ExceptionServices;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc compare</c>: the variants and the correct model on our engine and on Coyote, side by side.</summary>
internal static class CompareCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var variant = new Option<string?>("--variant")
        {
            Description = "Variants to compare: 'all' (default), 'none' (only the correct model), or names separated by commas.",
            HelpName = "VARIANT[,VARIANT...]",
        };
        variant.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } text || text is TestPlanner.All or TestPlanner.None) return;
            foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
                if (catalog.FindVariant(name) is null)
                {
                    result.AddError(VariantRegistry.Unknown(name, catalog.Variants, TestPlanner.None, TestPlanner.All));
                    return;
                }
        });
        var pairs = new Option<string?>("--pairs")
        {
            Description = $"Strategy pairs, a row each per variant: {StrategyPairs.Syntax}. Default " +
                          string.Join(",", StrategyPair.Defaults.Select(p => $"{p.Ours}:{p.Coyote}")) +
                          ": uniform random on both; PCT with 3 priority switches on both; each engine's default portfolio (ours: " +
                          Portfolio.Description + "; Coyote's: random, probabilistic, prioritization and delay bounding in turn per iteration).",
            HelpName = "PAIRS",
        };
        var seeds = OptionFactory.Integer("--seeds",
            $"Seeds per variant, each run on both engines (default {CompareRequest.DefaultSeeds}).", maximum: CompareRequest.MaxSeeds);
        var seed = OptionFactory.Seed("--seed",
            $"Base seed (default {CompareRequest.DefaultBaseSeed}); the run's seeds are spread far apart from it (SplitMix64), " +
            "because Coyote's consecutive seeds explore shifted copies of one sequence. The same base repeats the seeds.");
        var iterations = OptionFactory.Integer("--iterations",
            $"Iterations per run, one engine with one seed (default {Numbers.Count(CompareRequest.DefaultIterations)}).");
        var timeLimit = OptionFactory.Duration("--time-limit",
            $"Wall-clock budget of each run (default {DurationParser.Format(CompareRequest.DefaultTimeLimit)}); a run stopped by it counts as not found.");
        var modelIterations = OptionFactory.Integer("--model-iterations",
            $"Iterations of each correct-model run, first seed only (default {CompareRequest.DefaultModelIterations}; 0 skips the model rows).",
            minimum: 0);
        var parameters = new ParameterOptions("Simulated CPUs of every scenario (default: each scenario's).");
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("comparison");
        var command = new Command("compare",
            "Run every bug variant (or those named) on our engine and on Coyote with the same jobs, budget and seeds, one row per " +
            "variant and strategy pair: found/seeds, median iterations to the bug, schedules/s and the ratios ours/coyote; then each " +
            "scenario's correct model on both (clean or not, schedules/s). Each seed runs on ours then on Coyote, so both see the " +
            "same machine load; one short unmeasured run per engine comes first (JIT, Coyote's runtime). Markdown on stdout, progress " +
            "on stderr, the JSON summary and every bug's trace under --out. Exit 0 done, 1 a correct model had a bug, 2 bad input, " +
            "3 internal error, 130 canceled (Ctrl+C: the rows done so far are still printed and written).")
        {
            variant, pairs, seeds, seed, iterations, timeLimit, modelIterations,
        };
        parameters.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction((parse, cancellation) =>
        {
            var request = new CompareRequest(
                Variants(catalog, parse.GetValue(variant)),
                parse.GetValue(pairs) is { } p ? StrategyPairs.Parse(p) : StrategyPair.Defaults,
                parse.GetValue(seed) ?? CompareRequest.DefaultBaseSeed,
                parse.GetValue(seeds) ?? CompareRequest.DefaultSeeds,
                parse.GetValue(iterations) ?? CompareRequest.DefaultIterations,
                parse.GetValue(timeLimit) ?? CompareRequest.DefaultTimeLimit,
                parse.GetValue(modelIterations) ?? CompareRequest.DefaultModelIterations)
            {
                Overrides = parameters.Read(parse),
            };
            if (request.Variants.Count == 0 && request.ModelIterations == 0)
                throw new UsageException("nothing to compare: --variant none with --model-iterations 0");
            return Task.Run(() => Run(catalog, env, request, parse.GetValue(output)!, parse.GetValue(json), cancellation), CancellationToken.None);
        });
        return command;
    }

    private static IReadOnlyList<string> Variants(ICatalog catalog, string? text) => text switch
    {
        // Coyote runs sequential consistency only: the variants only store buffers make have nothing to compare.
        null or TestPlanner.All => catalog.Variants.Where(v => v.MemoryModel == Systematic.MemoryModel.Sc).Select(v => v.Name).ToList(),
        TestPlanner.None => [],
        _ => text.Split(',', StringSplitOptions.TrimEntries).Distinct().ToList(),
    };

    internal static int Run(ICatalog catalog, CliEnvironment env, CompareRequest request, string outDirectory, bool json,
        CancellationToken cancellation)
    {
        var runner = new CompareRunner(catalog, request, env.Time, (row, number, rows) => env.Error.WriteLine($"[{number}/{rows}] {RowLine(row)}"));
        var startedAt = env.Time.GetUtcNow();
        var started = env.Time.GetTimestamp();
        var output = RunOutput.Open(outDirectory, startedAt);
        env.Error.WriteLine($"hmc compare: {request.Variants.Count} variant(s) × {request.Pairs.Count} strategy pair(s) × {request.Seeds} seed(s) " +
                            $"on both engines, then {runner.ModelJobs.Count} correct scenario(s); at most {Numbers.Count(request.Iterations)} iterations " +
                            $"and {DurationParser.Format(request.TimeLimit)} per run; base seed {request.BaseSeed} (seeds " +
                            $"{string.Join(", ", request.SeedList)}); output in {Consoles.DisplayPath(output.Directory)}");
        Exception? failure = null;
        try
        {
            runner.Run(output, cancellation);
        }
        catch (Exception e)
        {
            // Write the rows done before the failure; CliApp reports the failure itself.
            failure = e;
        }
        var elapsed = env.Time.GetElapsedTime(started);
        var summary = CompareSummary.From(request, runner, startedAt, elapsed, failure);
        var text = JsonOutput.Serialize(summary);
        var summaryPath = output.WriteSummary("compare", text);
        if (json)
        {
            env.Out.WriteLine(text);
        }
        else
        {
            CompareTable.Write(env.Out, request, runner.Variants, runner.Models);
            env.Out.WriteLine();
            var rows = runner.Variants.Count + runner.Models.Count;
            env.Out.WriteLine($"{summary.Outcome}: {rows} of {runner.PlannedRows} row(s) in {Numbers.Seconds(elapsed)} " +
                              $"(--seed {request.BaseSeed} repeats the seeds); summary: {Consoles.DisplayPath(summaryPath)}");
        }
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return summary.ExitCode;
    }

    /// <summary>A finished row as the progress line on stderr says it.</summary>
    private static string RowLine(ComparisonRow row) => row switch
    {
        VariantComparison v => $"{v.Variant} ({v.Pair.Label}): ours {Found(v.Ours)}, coyote {Found(v.Coyote)}",
        ModelComparison m => $"{m.Scenario}, correct model ({m.Pair.Label}): ours {Clean(m.Ours)}, coyote {Clean(m.Coyote)}",
        _ => throw new ArgumentOutOfRangeException(nameof(row), row, "a comparison row is a variant's or a scenario's"),
    };

    private static string Found(EngineRuns runs) =>
        $"{runs.Found}/{runs.Runs.Count}" + (runs.MedianIterationsToBug is { } m ? $" median {CompareTable.Iterations(m)}" : "") +
        $", {Numbers.Rate(runs.SchedulesPerSecond)} schedules/s";

    private static string Clean(EngineRuns runs) =>
        (runs.WithBug == 0 ? "clean" : $"BUG {runs.Runs.First(r => r.Bug is not null).Bug!.Kind}") +
        $" ({Numbers.Count(runs.Iterations)} iterations, {Numbers.Rate(runs.SchedulesPerSecond)} schedules/s)";
}
