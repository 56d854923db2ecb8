using System.CommandLine;
using System.Runtime.ExceptionServices;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Reports;
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
            () => CampaignEngines.AnyStrategy);
        var engine = OptionFactory.Name("--engine", "engine",
            "hmc (ours, default) | coyote (Microsoft Coyote 1.7.11 behind the same primitives; its strategies: " +
            string.Join(", ", CampaignEngines.Strategies(CampaignEngines.Coyote).Select(s => s.Name)) + "; default portfolio, a variant's documented strategy if Coyote has it, else pct).",
            () => CampaignEngines.Names);
        var memoryModel = CommonOptions.MemoryModel();
        var iterations = OptionFactory.Integer("--iterations",
            $"Iterations (schedules) per job (default {Numbers.Count(CampaignRequest.DefaultIterations)}, under a {CampaignRequest.DefaultTimeLimit.TotalSeconds:0} s limit " +
            "for the whole run unless --iterations or --time-limit is given).");
        var seed = OptionFactory.Seed("--seed", "Seed of the run (default: random, printed in the summary; pass it to repeat a run).");
        var parameters = new ParameterOptions("Simulated CPUs (default: the scenario's).");
        var timeLimit = OptionFactory.Duration("--time-limit",
            "Wall-clock budget of the whole run (30s, 2m, 1m30s...), shared equally by the jobs still to run; a job stops between iterations.");
        var parallel = OptionFactory.Integer("--parallel",
            $"Explorations run at once: jobs, and blocks of {SystematicTest.IterationBlock} iterations of a job, on N worker threads " +
            $"(default: the number of cores, {Environment.ProcessorCount} here; 1 = one after another). The results are those of a serial " +
            "run over the same iterations; dfs, delay-bounding, idb and dpor explore each job on one worker, as the Coyote engine does.");
        var shard = new Option<string?>("--shard")
        {
            Description = "Run the K-th of N disjoint shards of the campaign (1 ≤ K ≤ N); `hmc merge` joins the shards' output " +
                          "directories into the unsharded run's result. Needs a fixed budget (--iterations, default " +
                          $"{Numbers.Count(CampaignRequest.DefaultIterations)}; no --time-limit); a shard exits 0 once it ran, the merge gives the verdict. " +
                          $"Without it: {ShardSource.KubernetesIndex} (Kubernetes Indexed Job, 0-based) with --shards or {ShardSource.ShardCount}, " +
                          $"or {ShardSource.SlurmTaskId} with {ShardSource.SlurmTaskCount} (Slurm job array).",
            HelpName = "K/N",
        };
        var shards = OptionFactory.Integer("--shards", $"Number of shards when the index comes from {ShardSource.KubernetesIndex} (or set {ShardSource.ShardCount}).");
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("run summary");
        var junit = JunitReport.Option();
        var html = TestHtmlReport.Option();
        var command = new Command("test",
            "Explore schedules of the model under the controlled scheduler and report what was found. With no options: every " +
            "scenario on the correct model, about a minute in all. Every bug is written as a trace under --out with a JSON summary; " +
            "exit 0 clean, 1 bug found (self-check: a variant not found), 2 bad input, 3 internal error, 130 canceled (Ctrl+C) with nothing found.")
        {
            scenario, variant, strategy, engine, memoryModel, iterations, seed,
        };
        parameters.AddTo(command);
        foreach (var option in new Option[] { timeLimit, parallel, shard, shards, output, json, junit, html }) command.Options.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var sharding = ShardSource.Resolve(parse.GetValue(shard), parse.GetValue(shards), env.Variable);
            var (budget, limit) = sharding is null
                ? CampaignRequest.Budget(parse.GetValue(iterations), parse.GetValue(timeLimit))
                : CampaignRequest.ShardBudget(parse.GetValue(iterations), parse.GetValue(timeLimit), sharding);
            var request = new CampaignRequest
            {
                Scenario = parse.GetValue(scenario),
                Variant = parse.GetValue(variant),
                Strategy = parse.GetValue(strategy),
                Iterations = budget,
                Seed = parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
                TimeLimit = limit,
                Overrides = parameters.Read(parse),
                Engine = parse.GetValue(engine) ?? CampaignEngines.Hmc,
                MemoryModel = CommonOptions.ReadMemoryModel(parse.GetValue(memoryModel)),
            };
            var options = new CampaignRunOptions { Workers = parse.GetValue(parallel) ?? Environment.ProcessorCount, Shard = sharding };
            return Task.Run(() => Run(catalog, env, request, parse.GetValue(output)!, parse.GetValue(json), cancellation,
                parse.GetValue(junit), options, parse.GetValue(html)), CancellationToken.None);
        });
        return command;
    }

    /// <summary>The first line of a run: enough to repeat it.</summary>
    internal static string Header(TestPlan plan, CampaignRequest request, RunOutput output, Shard? shard = null)
    {
        var limit = request.TimeLimit is { } t ? $", {DurationParser.Format(t)} in all" : "";
        var what = plan.Mode switch
        {
            TestMode.SelfCheck => "self-check of every variant",
            TestMode.Variant => $"variant {plan.Jobs[0].Parameters.Variant}",
            _ => "the correct model",
        };
        var engine = request.Engine == CampaignEngines.Hmc ? "" : $" on {request.Engine}";
        if (request.MemoryModel is { } model) engine += $" under memory model {MemoryModelNames.Name(model)}";
        else if (plan.Jobs.Select(j => j.MemoryModel).Distinct().ToList() is [var only] && only != MemoryModel.Sc)
            engine += $" under memory model {MemoryModelNames.Name(only)} (the variant's)";
        var of = shard is { } k ? $"shard {k} of " : "";
        return $"hmc test: {of}{what}{engine}, {plan.Jobs.Count} job(s), seed {request.Seed}, budget {Numbers.Count(request.Iterations)} iterations per job{limit}; " +
               $"output in {Consoles.DisplayPath(output.Directory)}";
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, CampaignRequest request, string outDirectory, bool json,
        CancellationToken cancellation, string? junitPath = null, CampaignRunOptions? options = null, string? htmlPath = null)
    {
        options ??= new CampaignRunOptions();
        var campaign = new Campaign(catalog);
        var plan = campaign.Plan(request, options.Shard);
        options = options with { Output = RunOutput.Open(outDirectory, env.Time.GetUtcNow()), Time = env.Time };
        env.Error.WriteLine(Header(plan, request, options.Output, options.Shard));
        if (plan.Mode == TestMode.SelfCheck && TestPlanner.NotSelfChecked(catalog, request) is { Count: > 0 } left)
            env.Error.WriteLine($"not self-checked on {request.Engine}: {string.Join(", ", left.Select(v => v.Name))} (found only under a memory model it does not run)");
        var result = env.ErrorIsTerminal
            ? LiveRunProgress.Run(Consoles.Error(env), progress => campaign.Run(plan, request, options with { Progress = progress }, cancellation))
            : campaign.Run(plan, request, options with { Progress = new PlainRunProgress(env.Error) }, cancellation);
        if (junitPath is not null) JunitReport.Write(junitPath, JunitReport.Build(plan, result.Jobs, result.Elapsed));
        if (htmlPath is not null) HtmlFile.Write(htmlPath, TestHtmlReport.Build(result));
        if (json) env.Out.WriteLine(JsonOutput.Serialize(result.Summary));
        else TestResultView.Render(Consoles.Out(env), result);
        // CliApp reports the tool's own failure, after what was found before it is written and shown.
        if (result.Failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        return result.ExitCode;
    }
}
