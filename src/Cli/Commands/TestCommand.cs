using System.CommandLine;
using System.Runtime.ExceptionServices;
using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Reports;
using HighMemConcurrency.Cli.Testing;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc test</c>: the systematic campaign, the variant hunt and the self-check.</summary>
internal static class TestCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var scenario = CommonOptions.Scenario(catalog,
            "Scenario to test, or 'all' (default: all; with --variant V, the scenario(s) V's documentation names).", allowAll: true);
        var variant = CommonOptions.Variant(catalog,
            "Bug variant to switch on: a name, 'none' (the correct model, default) or 'all' (the self-check: every variant must be " +
            "found, as its documented kind).", allowAll: true);
        var strategy = OptionFactory.Name("--strategy", "strategy",
            string.Join(" | ", StrategyNames.All) + " (default: portfolio; with a variant, the strategy it documents; `hmc list` " +
            "describes each). " + Portfolio.Description + ".",
            () => Engines.AnyStrategy);
        var engine = OptionFactory.Name("--engine", "engine",
            "hmc (ours, default) | coyote (Microsoft Coyote 1.7.11 behind the same primitives; its strategies: " +
            string.Join(", ", Systematic.Coyote.CoyoteStrategies.Names) + "; default portfolio, a variant's documented strategy if Coyote has it, else pct).",
            () => Engines.All);
        var iterations = OptionFactory.Integer("--iterations",
            $"Iterations (schedules) per job (default {Numbers.Count(TestRequest.DefaultIterations)}, under a {TestRequest.DefaultTimeLimit.TotalSeconds:0} s limit " +
            "for the whole run unless --iterations or --time-limit is given).");
        var seed = OptionFactory.Seed("--seed", "Seed of the run (default: random, printed in the summary; pass it to repeat a run).");
        var cpus = CommonOptions.Cpus("Simulated CPUs (default: the scenario's).");
        var lastPkmap = CommonOptions.LastPkmap();
        var timeLimit = OptionFactory.Duration("--time-limit",
            "Wall-clock budget of the whole run (30s, 2m, 1m30s...), shared equally by the jobs still to run; a job stops between iterations.");
        var parallel = OptionFactory.Integer("--parallel",
            $"Explorations run at once: jobs, and blocks of {SystematicTest.IterationBlock} iterations of a job, on N worker threads " +
            $"(default: the number of cores, {Environment.ProcessorCount} here; 1 = one after another). The results are those of a serial " +
            "run over the same iterations; dfs, delay-bounding, idb and dpor explore each job on one worker, and the Coyote engine runs serially.");
        var shard = new Option<string?>("--shard")
        {
            Description = "Run the K-th of N disjoint shards of the campaign (1 ≤ K ≤ N); `hmc merge` joins the shards' output " +
                          "directories into the unsharded run's result. Needs a fixed budget (--iterations, default " +
                          $"{Numbers.Count(TestRequest.DefaultIterations)}; no --time-limit); a shard exits 0 once it ran, the merge gives the verdict. " +
                          $"Without it: {ShardSource.KubernetesIndex} (Kubernetes Indexed Job, 0-based) with --shards or {ShardSource.ShardCount}, " +
                          $"or {ShardSource.SlurmTaskId} with {ShardSource.SlurmTaskCount} (Slurm job array).",
            HelpName = "K/N",
        };
        var shards = OptionFactory.Integer("--shards", $"Number of shards when the index comes from {ShardSource.KubernetesIndex} (or set {ShardSource.ShardCount}).");
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("run summary");
        var junit = JunitReport.Option();
        var command = new Command("test",
            "Explore schedules of the model under the controlled scheduler and report what was found. With no options: every " +
            "scenario on the correct model, about a minute in all. Every bug is written as a trace under --out with a JSON summary; " +
            "exit 0 clean, 1 bug found (self-check: a variant not found), 2 bad input, 3 internal error, 130 canceled (Ctrl+C) with nothing found.")
        {
            scenario, variant, strategy, engine, iterations, seed, cpus, lastPkmap, timeLimit, parallel, shard, shards, output, json, junit,
        };
        command.SetAction((parse, cancellation) =>
        {
            var sharding = ShardSource.Resolve(parse.GetValue(shard), parse.GetValue(shards), env.Variable);
            var (budget, limit) = sharding is null
                ? TestRequest.Budget(parse.GetValue(iterations), parse.GetValue(timeLimit))
                : TestRequest.ShardBudget(parse.GetValue(iterations), parse.GetValue(timeLimit), sharding);
            var request = new TestRequest(
                parse.GetValue(scenario), parse.GetValue(variant), parse.GetValue(strategy), budget,
                parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
                parse.GetValue(cpus), parse.GetValue(lastPkmap), limit, parse.GetValue(engine) ?? Engines.Hmc);
            var layout = new RunLayout(parse.GetValue(parallel) ?? Environment.ProcessorCount, sharding);
            return Task.Run(() => Run(catalog, env, request, parse.GetValue(output)!, parse.GetValue(json), cancellation,
                parse.GetValue(junit), layout), CancellationToken.None);
        });
        return command;
    }

    /// <summary>A shard's units for the merge; the unit whose bug its job reported names the trace.</summary>
    private static List<UnitSummary> UnitSummaries(IReadOnlyList<UnitResult> units, IReadOnlyList<JobOutcome> outcomes)
    {
        var traces = outcomes.Where(o => o.Bug is not null).ToDictionary(o => o.Bug!, o => o.TracePath);
        return units.Select(u => UnitSummary.From(u, u.Bug is { } b ? traces.GetValueOrDefault(b) : null)).ToList();
    }

    /// <summary>The first line of a run: enough to repeat it.</summary>
    internal static string Header(TestPlan plan, TestRequest request, RunOutput output, RunLayout? layout = null)
    {
        var limit = request.TimeLimit is { } t ? $", {DurationParser.Format(t)} in all" : "";
        var what = plan.Mode switch
        {
            TestMode.SelfCheck => "self-check of every variant",
            TestMode.Variant => $"variant {plan.Jobs[0].Parameters.Variant}",
            _ => "the correct model",
        };
        var engine = request.Engine == Engines.Hmc ? "" : $" on {request.Engine}";
        var shard = layout?.Shard is { } k ? $"shard {k} of " : "";
        return $"hmc test: {shard}{what}{engine}, {plan.Jobs.Count} job(s), seed {request.Seed}, budget {Numbers.Count(request.Iterations)} iterations per job{limit}; " +
               $"output in {Consoles.DisplayPath(output.Directory)}";
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, TestRequest request, string outDirectory, bool json,
        CancellationToken cancellation, string? junitPath = null, RunLayout? layout = null)
    {
        layout ??= RunLayout.Serial;
        Engines.CheckStrategy(request.Engine, request.Strategy);
        if (layout.Shard is not null && request.Engine != Engines.Hmc)
            throw new UsageException($"--shard runs on the hmc engine only (Coyote cannot start part-way through a run)");
        var plan = TestPlanner.Plan(catalog, request);
        var startedAt = env.Time.GetUtcNow();
        var started = env.Time.GetTimestamp();
        var output = RunOutput.Open(outDirectory, startedAt);
        var runner = new TestRunner(plan, request, output, env.Time, layout.Workers, layout.Shard);
        env.Error.WriteLine(Header(plan, request, output, layout));
        Exception? failure = null;
        try
        {
            if (env.ErrorIsTerminal)
                LiveRunProgress.Run(Consoles.Error(env), progress => { runner.Run(progress, cancellation); return 0; });
            else
                runner.Run(new PlainRunProgress(env.Error), cancellation);
        }
        catch (Exception e)
        {
            // Keep going long enough to write what was found before the failure; CliApp reports the failure itself.
            failure = e;
        }
        var elapsed = env.Time.GetElapsedTime(started);
        var exitCode = failure is not null ? ExitCodes.InternalError
            // A shard that ran its part succeeded whatever it found: schedulers would retry a failed one, and the merge decides.
            : layout.Shard is not null && !runner.Canceled ? ExitCodes.Clean
            : Verdict.ExitCode(plan, runner.Outcomes, runner.Canceled);
        var outcomes = runner.Outcomes;
        var summary = TestSummary.From(plan, request, outcomes, startedAt, elapsed, runner.Canceled,
            failure is null ? null : $"{failure.GetType().Name}: {failure.Message}", exitCode, layout.Shard,
            layout.Shard is null ? null : UnitSummaries(runner.CountedUnits, outcomes));
        var text = JsonOutput.Serialize(summary);
        var summaryPath = output.WriteSummary("test", text);
        if (junitPath is not null) JunitReport.Write(junitPath, JunitReport.Build(plan, runner.Outcomes, elapsed));
        if (json) env.Out.WriteLine(text);
        else TestResultView.Render(Consoles.Out(env), plan, runner.Outcomes, runner.Canceled, elapsed, request, summaryPath);
        if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return exitCode;
    }
}
