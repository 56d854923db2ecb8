using HighMemConcurrency.HighMem.Variants;
using System.CommandLine;
using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Reports;
using HighMemConcurrency.Cli.Testing;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc stress</c>: the model free-running on real threads, for throughput, latency and hangs.</summary>
internal static class StressCommand
{
    /// <summary>Default run length.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>Default CPUs: one simulated CPU per core, at least two so that there is contention.</summary>
    public static int DefaultCpus => Math.Clamp(Environment.ProcessorCount, 2, ScenarioParameters.MaxCpus);

    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var scenario = CommonOptions.Scenario(catalog,
            "Scenario to run (default: with --variant V the first scenario V names, otherwise the first scenario of `hmc list`).", allowAll: false);
        var variant = CommonOptions.Variant(catalog, "Bug variant to switch on (default: none, the correct model).", allowAll: false);
        var cpus = CommonOptions.Cpus($"Simulated CPUs, each a real thread (default: one per core, at least 2; here {DefaultCpus}).");
        var lastPkmap = CommonOptions.LastPkmap();
        var duration = OptionFactory.Duration("--duration", $"How long to run (default {DurationParser.Format(DefaultDuration)}); Ctrl+C stops early and still reports.");
        var watchdog = OptionFactory.Duration("--watchdog",
            "Hung-task watchdog: no operation completed for this long fails the run with a dump of who holds and waits for what (default 5s).");
        var reproduceFor = OptionFactory.Duration("--reproduce-for",
            $"After a violation, corruption or hang: search the same scenario, variant and parameters under the systematic engine " +
            $"(portfolio) for this long and write the replayable trace it finds (default {DurationParser.Format(StressReproducer.DefaultBudget)}; 0 turns it off).",
            allowZero: true);
        var seed = OptionFactory.Seed("--seed", "Seed of that systematic search (default: random, printed in the summary).");
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("stress summary");
        var html = StressHtmlReport.Option();
        var command = new Command("stress",
            "Run a scenario natively on real threads (no controlled scheduler): throughput in total and per CPU, kmap latency " +
            "percentiles, contention counters, invariant checks and the hung-task watchdog; a failure is searched for under the " +
            "systematic engine and written as a trace for `hmc replay`. Exit 0 clean, 1 violation or hang (reproduced or not), " +
            "2 bad input, 3 internal error, 130 stopped by Ctrl+C before the duration with nothing found.")
        {
            scenario, variant, cpus, lastPkmap, duration, watchdog, reproduceFor, seed, output, json, html,
        };
        command.SetAction((parse, cancellation) =>
        {
            var request = new StressRequest(parse.GetValue(scenario), parse.GetValue(variant), parse.GetValue(cpus) ?? DefaultCpus,
                parse.GetValue(lastPkmap), parse.GetValue(duration) ?? DefaultDuration, parse.GetValue(watchdog))
            {
                ReproduceFor = parse.GetValue(reproduceFor) ?? StressReproducer.DefaultBudget,
                Seed = parse.GetValue(seed) ?? (ulong)Random.Shared.NextInt64(1, int.MaxValue),
            };
            return Task.Run(() => Run(catalog, env, request, parse.GetValue(output)!, parse.GetValue(json), cancellation, parse.GetValue(html)),
                CancellationToken.None);
        });
        return command;
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, StressRequest request, string outDirectory, bool json,
        CancellationToken cancellation, string? htmlPath = null)
    {
        var (scenario, parameters, variant) = Resolve(catalog, request);
        var startedAt = env.Time.GetUtcNow();
        var output = RunOutput.Open(outDirectory, startedAt);
        var label = $"stress {scenario.Name}{(parameters.Variant == TestPlanner.None ? "" : " + " + parameters.Variant)}, {parameters.Cpus} CPUs";
        var report = StressProgressDisplay.Run(env, label, request.Duration, progress =>
        {
            var options = new StressOptions { Duration = request.Duration, Progress = progress };
            if (request.Watchdog is { } w) options = options with { WatchdogTimeout = w };
            return scenario.RunStress(parameters, options, cancellation);
        });
        var reproduction = report.Clean ? null : Reproduce(env, request, report, scenario, variant, output, cancellation);
        // A failure seen is a failure, whether or not the systematic search reproduced it.
        var exitCode = !report.Clean ? ExitCodes.BugFound : report.Canceled ? ExitCodes.Canceled : ExitCodes.Clean;
        var summary = StressSummary.From(report, startedAt, request.Duration, reproduction, exitCode);
        var text = JsonOutput.Serialize(summary);
        var path = output.WriteSummary("stress", text);
        if (htmlPath is not null) StressHtmlReport.Write(htmlPath, StressHtmlReport.Build(summary, report));
        if (json) env.Out.WriteLine(text);
        else StressView.Render(Consoles.Out(env), summary, path);
        if (htmlPath is not null && !json) Consoles.WriteRaw(Consoles.Out(env), $"html: {Consoles.DisplayPath(Path.GetFullPath(htmlPath))}");
        return exitCode;
    }

    private static StressReproduction Reproduce(CliEnvironment env, StressRequest request, StressReport report, IScenario scenario,
        BugVariant? variant, RunOutput output, CancellationToken cancellation)
    {
        var failure = StressView.Failure(report.Violations.Count, report.HangReport is not null);
        if (request.ReproduceFor > TimeSpan.Zero)
            env.Error.WriteLine($"stress failed ({failure}); searching for its schedule under the systematic engine: portfolio, seed {request.Seed}, " +
                                $"up to {DurationParser.Format(request.ReproduceFor)} (--reproduce-for 0 skips this)");
        StressReproduction Search(IRunProgress progress) => StressReproducer.Run(scenario, report.Parameters, variant, request.Seed,
            request.ReproduceFor, output, progress, env.Time, cancellation);
        if (request.ReproduceFor <= TimeSpan.Zero) return Search(new PlainRunProgress(env.Error));
        return env.ErrorIsTerminal ? LiveRunProgress.Run(Consoles.Error(env), Search) : Search(new PlainRunProgress(env.Error));
    }

    private static (IScenario Scenario, ScenarioParameters Parameters, BugVariant? Variant) Resolve(ICatalog catalog, StressRequest request)
    {
        var variant = request.Variant is null or TestPlanner.None ? null
            : catalog.Variant(request.Variant, TestPlanner.None);
        var name = request.Scenario ?? variant?.Scenarios.FirstOrDefault() ?? catalog.Scenarios.FirstOrDefault()?.Name
            ?? throw new UsageException("the catalog defines no scenarios to stress");
        var scenario = catalog.FindScenario(name) ?? throw new UsageException($"unknown scenario '{name}' (valid: {catalog.ScenarioNames()})");
        var parameters = scenario.Defaults with
        {
            Cpus = request.Cpus,
            LastPkmap = request.LastPkmap ?? scenario.Defaults.LastPkmap,
            Variant = variant?.Name ?? TestPlanner.None,
        };
        if (ScenarioParameters.Unused(scenario, TestPlanner.GivenParameters(request.Cpus, request.LastPkmap)) is { } unused)
            throw new UsageException($"scenario '{scenario.Name}' rejects these parameters: {unused}");
        try
        {
            scenario.Validate(parameters);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"scenario '{scenario.Name}' rejects these parameters: {TestPlanner.OneLine(e.Message)}");
        }
        return (scenario, parameters, variant);
    }
}

/// <summary>What the user asked <c>hmc stress</c> for.</summary>
internal sealed record StressRequest(string? Scenario, string? Variant, int Cpus, int? LastPkmap, TimeSpan Duration, TimeSpan? Watchdog)
{
    /// <summary>Bound of the systematic search after a failure; zero turns it off.</summary>
    public TimeSpan ReproduceFor { get; init; } = StressReproducer.DefaultBudget;

    /// <summary>Seed of that search.</summary>
    public ulong Seed { get; init; } = 1;
}
