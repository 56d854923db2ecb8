using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Export;
using HighMemConcurrency.Cli.Rendering;
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
        var target = Resolve(catalog, path);
        var trace = target.Trace;
        var report = InFile(path, () => target.Replay());
        var console = Consoles.Out(env);
        RenderHeader(console, trace, path, verbose);
        if (report.Bug is not { } bug)
        {
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

    /// <summary>The trace file at <paramref name="path"/> with its scenario and parameters; any problem is one line naming the file.</summary>
    internal static TraceTarget Resolve(ICatalog catalog, string path)
    {
        var json = Read(path);
        return InFile(path, () => TraceTarget.Resolve(catalog, json));
    }

    /// <summary>Runs <paramref name="work"/>, prefixing a campaign's complaint about the trace with the file's path.</summary>
    internal static T InFile<T>(string path, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (CampaignException e)
        {
            throw new UsageException($"{path}: {e.Message}");
        }
    }

    private static string Read(string path)
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
