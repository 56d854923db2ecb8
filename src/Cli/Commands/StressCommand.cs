using HighMemConcurrency.HighMem.Variants;
using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Reports;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc stress</c>: the model free-running on real threads, for throughput, latency and hangs.</summary>
internal static class StressCommand
{
    /// <summary>Default CPUs: one simulated CPU per core, at least two so that there is contention.</summary>
    public static int DefaultCpus => Math.Clamp(Environment.ProcessorCount, 2, ScenarioParameters.MaxCpus);

    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var scenario = CommonOptions.Scenario(catalog,
            "Scenario to run (default: with --variant V the first scenario V names, otherwise the first scenario of `hmc list`).", allowAll: false);
        var variant = CommonOptions.Variant(catalog, "Bug variant to switch on (default: none, the correct model).", allowAll: false);
        var parameters = new ParameterOptions($"Simulated CPUs, each a real thread (default: one per core, at least 2 — here {DefaultCpus} — where the scenario runs on that many, else its own number).");
        var duration = OptionFactory.Duration("--duration", $"How long to run (default {DurationParser.Format(StressRequest.DefaultDuration)}); Ctrl+C stops early and still reports.");
        var watchdog = OptionFactory.Duration("--watchdog",
            "Hung-task watchdog: no operation completed for this long fails the run with a dump of who holds and waits for what (default 5s).");
        var reproduceFor = OptionFactory.Duration("--reproduce-for",
            $"After a violation, corruption or hang: search the same scenario, variant and parameters under the systematic engine " +
            $"(portfolio) for this long and write the replayable trace it finds (default {DurationParser.Format(StressReproducer.DefaultBudget)}; 0 turns it off).",
            allowZero: true);
        var seed = OptionFactory.Seed("--seed", "Seed of that systematic search and of the perturbation's decisions (default: random, printed in the summary).");
        var perturbation = new PerturbationOptions();
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("stress summary");
        var html = StressHtmlReport.Option();
        var command = new Command("stress",
            "Run a scenario natively on real threads (no controlled scheduler): throughput in total and per CPU, kmap latency " +
            "percentiles, contention counters, invariant checks and the hung-task watchdog; a failure is searched for under the " +
            "systematic engine and written as a trace for `hmc replay`. Exit 0 clean, 1 violation or hang (reproduced or not), " +
            "2 bad input, 3 internal error, 130 stopped by Ctrl+C before the duration with nothing found.")
        {
            scenario, variant,
        };
        parameters.AddTo(command);
        foreach (var option in new Option[] { duration, watchdog, reproduceFor, seed }) command.Options.Add(option);
        perturbation.AddTo(command);
        foreach (var option in new Option[] { output, json, html }) command.Options.Add(option);
        command.SetAction((parse, cancellation) =>
        {
            var request = new StressRequest
            {
                Scenario = parse.GetValue(scenario),
                Variant = parse.GetValue(variant),
                Overrides = parameters.Read(parse),
                DefaultCpus = DefaultCpus,
                Duration = parse.GetValue(duration) ?? StressRequest.DefaultDuration,
                Watchdog = parse.GetValue(watchdog),
                ReproduceFor = parse.GetValue(reproduceFor) ?? StressReproducer.DefaultBudget,
                Seed = parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
                Perturbation = perturbation.Read(parse),
            };
            if (request.PerturbationProblem() is { } problem) throw new UsageException($"stress: {problem}");
            return Task.Run(() => Run(catalog, env, request, parse.GetValue(output)!, parse.GetValue(json), cancellation, parse.GetValue(html)),
                CancellationToken.None);
        });
        return command;
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, StressRequest request, string outDirectory, bool json,
        CancellationToken cancellation, string? htmlPath = null)
    {
        var target = new Campaign(catalog).ResolveStress(request);
        var startedAt = env.Time.GetUtcNow();
        var output = RunOutput.Open(outDirectory, startedAt);
        var label = $"stress {target.Label}, {target.Parameters.Cpus} CPUs";
        var report = StressProgressDisplay.Run(env, label, request.Duration, progress => Campaign.Stress(target, request, progress, cancellation));
        var reproduction = report.Clean ? null : Reproduce(env, request, report, target, output, cancellation);
        var exitCode = StressSummary.ExitCodeOf(report);
        var summary = StressSummary.From(report, startedAt, request.Duration, reproduction, exitCode, request.Perturbation, request.Seed);
        var text = JsonOutput.Serialize(summary);
        var path = output.WriteSummary("stress", text);
        if (htmlPath is not null) HtmlFile.Write(htmlPath, StressHtmlReport.Build(summary, report));
        if (json) env.Out.WriteLine(text);
        else StressView.Render(Consoles.Out(env), summary, path);
        if (htmlPath is not null && !json) Consoles.WriteRaw(Consoles.Out(env), $"html: {Consoles.DisplayPath(Path.GetFullPath(htmlPath))}");
        return exitCode;
    }

    private static StressReproduction Reproduce(CliEnvironment env, StressRequest request, StressReport report, StressTarget target,
        RunOutput output, CancellationToken cancellation)
    {
        var failure = StressView.Failure(report.Violations.Count, report.HangReport is not null);
        if (request.ReproduceFor > TimeSpan.Zero)
            env.Error.WriteLine($"stress failed ({failure}); searching for its schedule under the systematic engine: portfolio, seed {request.Seed}, " +
                                $"up to {DurationParser.Format(request.ReproduceFor)} (--reproduce-for 0 skips this)");
        StressReproduction Search(IRunProgress progress) => Campaign.ReproduceStress(target, request, output, progress, env.Time, cancellation);
        if (request.ReproduceFor <= TimeSpan.Zero) return Search(new PlainRunProgress(env.Error));
        return env.ErrorIsTerminal ? LiveRunProgress.Run(Consoles.Error(env), Search) : Search(new PlainRunProgress(env.Error));
    }
}
