using System.CommandLine;
using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.Cli.Export;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;
using HighMemConcurrency.Systematic.Tracing;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc replay TRACE [--verbose]</c>: re-runs a recorded schedule and shows its interleaving per CPU.</summary>
internal static class ReplayCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var trace = new Argument<string>("TRACE") { Description = "A trace file written by `hmc test` (*.trace.json)." };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = $"Show every step (otherwise long interleavings show the first {InterleavingView.HeadSteps} and the last " +
                          $"{InterleavingView.TailSteps}) and the trace's header.",
        };
        var export = TimelineExport.Option();
        var command = new Command("replay",
            "Re-run a bug trace deterministically: print the bug and the interleaving as one column per CPU/task, and exit 1 " +
            "with the same bug. A malformed, truncated, wrong-version or divergent trace exits 2 naming the field or step.")
        {
            trace, verbose, export,
        };
        command.SetAction(parse => Run(catalog, env, parse.GetValue(trace)!, parse.GetValue(verbose),
            TimelineExport.Parse(parse.GetValue(export))));
        return command;
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, string path, bool verbose,
        IReadOnlyList<TimelineExport.Request>? exports = null)
    {
        var json = Read(path);
        var trace = Parse(json, path);
        var scenario = catalog.FindScenario(trace.TestName)
            ?? throw new UsageException($"{path}: trace field 'test': unknown scenario '{trace.TestName}' (valid: {catalog.ScenarioNames()})");
        var parameters = Parameters(trace, scenario, path);

        TestReport report;
        try
        {
            report = SystematicTest.Replay(scenario.CreateTest(parameters), json);
        }
        catch (TraceException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
        var console = Consoles.Out(env);
        RenderHeader(console, trace, path, verbose);
        if (report.Bug is not { } bug)
        {
            if (trace.BugKind is { } recorded)
                throw new UsageException($"{path}: trace diverged at step {report.StepsExplored}: it records {recorded} but the replay finished clean");
            console.MarkupLine("[green]The schedule replays clean[/] (the trace records no bug).");
            if (exports is { Count: > 0 }) throw new UsageException($"{path}: --export: the trace records no bug, so there is no timeline to export");
            return ExitCodes.Clean;
        }
        console.MarkupLine($"[red]{bug.Kind}[/]: {Markup.Escape(bug.Message)}");
        console.WriteLine();
        InterleavingView.Write(console, bug.Steps, verbose);
        if (trace.BugKind == bug.Kind)
            console.MarkupLine($"[red]Reproduced {bug.Kind}[/] in {bug.Steps.Count} steps, as recorded.");
        else
            // A different bug is still a bug (exit 1), but never "as recorded": one line on stderr says what differs.
            env.Error.WriteLine($"hmc: {path}: the replay found {bug.Kind} but the trace records {trace.BugKind?.ToString() ?? "no bug"} " +
                                "(the model changed since it was written?)");
        foreach (var line in TimelineExport.Write(exports ?? [], Title(trace), bug)) console.MarkupLine($"timeline {Markup.Escape(line)}");
        return ExitCodes.BugFound;
    }

    internal static string Read(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"cannot read trace '{path}': it is a directory");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read trace '{path}': {e.Message}");
        }
    }

    internal static ScheduleTrace Parse(string json, string path)
    {
        try
        {
            return ScheduleTrace.Parse(json);
        }
        catch (TraceFormatException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }

    internal static ScenarioParameters Parameters(ScheduleTrace trace, IScenario scenario, string path)
    {
        ScenarioParameters parameters;
        try
        {
            parameters = ScenarioParameters.FromDictionary(trace.Parameters);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{path}: trace field 'parameters': {e.Message}");
        }
        try
        {
            scenario.Validate(parameters);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{path}: trace field 'parameters': scenario '{scenario.Name}' rejects them: {Testing.TestPlanner.OneLine(e.Message)}");
        }
        return parameters;
    }

    private static string Title(ScheduleTrace trace)
    {
        var variant = trace.Parameters.TryGetValue("variant", out var v) ? v : "none";
        return $"{trace.TestName} + {variant}, {trace.Strategy} seed {trace.Seed}, iteration {trace.Iteration}";
    }

    private static void RenderHeader(IAnsiConsole console, ScheduleTrace trace, string path, bool verbose)
    {
        var variant = trace.Parameters.TryGetValue("variant", out var v) ? v : "none";
        // The path on a line of its own, past the wrapping, so that it can be pasted back whole.
        Consoles.WriteRaw(console, $"Replaying {path}:");
        console.MarkupLine($"scenario [bold]{Markup.Escape(trace.TestName)}[/], variant " +
                           $"[bold]{Markup.Escape(variant)}[/], {Markup.Escape(trace.Strategy)} seed {trace.Seed}, iteration {trace.Iteration}");
        if (!verbose) return;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("tool", Markup.Escape(trace.Tool));
        grid.AddRow("parameters", Markup.Escape(string.Join(" ", trace.Parameters.Select(p => $"{p.Key}={p.Value}"))));
        grid.AddRow("options", $"pctDepth={trace.PctDepth} maxSteps={trace.MaxSteps} detectDataRaces={trace.DetectDataRaces}");
        grid.AddRow("decisions", trace.Decisions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grid.AddRow("recorded bug", Markup.Escape(trace.BugKind is { } k ? $"{k}: {trace.BugMessage}" : "none"));
        console.Write(grid);
    }
}
