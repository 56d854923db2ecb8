using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Systematic;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc minimize TRACE</c>: shrinks a bug trace to its fewest preemptions, then fewest steps.</summary>
internal static class MinimizeCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var trace = new Argument<string>("TRACE") { Description = "A bug trace written by `hmc test` (*.trace.json)." };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Where to write the minimized trace (default: next to TRACE, as NAME.min.trace.json).",
            HelpName = "FILE",
        };
        var iterations = OptionFactory.Integer("--iterations", "Schedules tried per preemption bound (default 1,000).");
        var timeLimit = OptionFactory.Duration("--time-limit", "Wall-clock budget of the search (30s, 2m...; default: none).");
        var command = new Command("minimize",
            "Search for a schedule with the same bug (same kind and, for invariants, the same invariant) and the fewest preemptions, " +
            "then the fewest steps: preemption-bounded DFS with bound 0, 1, ..., every candidate checked by replay. Writes a normal " +
            "trace and prints the before/after preemptions and steps and the interleaving. Exit 1 (the bug is still there), 2 bad input.")
        {
            trace, output, iterations, timeLimit,
        };
        command.SetAction(parse => Run(catalog, env, parse.GetValue(trace)!, parse.GetValue(output), parse.GetValue(iterations) ?? 1000,
            parse.GetValue(timeLimit)));
        return command;
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, string path, string? outputPath, int iterations, TimeSpan? timeLimit)
    {
        if (iterations < 1) throw new UsageException($"--iterations must be at least 1 (got {iterations})");
        var trace = ReplayCommand.Resolve(catalog, path);
        var result = ReplayCommand.InFile(path, () => trace.Minimize(new TestOptions { Iterations = iterations, TimeLimit = timeLimit }));
        var target = outputPath ?? DefaultOutput(path);
        try
        {
            File.WriteAllText(target, result.Minimized.TraceJson);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot write '{target}': {e.Message}");
        }

        var console = Consoles.Out(env);
        console.MarkupLine($"[red]{result.Minimized.Kind}[/]: {Markup.Escape(result.Minimized.Message)}");
        console.WriteLine();
        InterleavingView.Write(console, result.Minimized.Steps, verbose: false);
        console.MarkupLine($"before: {result.OriginalPreemptions} preemptions, {result.OriginalSteps} steps; " +
                           $"after: [bold]{result.Preemptions} preemptions, {result.Steps} steps[/] " +
                           $"({result.CandidatesReproduced} of {result.CandidatesTried} candidates reproduced the bug on replay)");
        console.MarkupLine($"minimized trace: {Markup.Escape(Consoles.DisplayPath(target))}");
        return ExitCodes.BugFound;
    }

    private static string DefaultOutput(string path)
    {
        const string suffix = ".trace.json";
        var stem = path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? path[..^suffix.Length] : Path.ChangeExtension(path, null);
        return stem + ".min" + suffix;
    }
}
