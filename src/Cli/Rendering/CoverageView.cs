using System.Globalization;
using HighMemConcurrency.Campaigns;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>
/// Under <c>hmc test</c>'s table, what each job's schedules reached: per model event the share of schedules that
/// reached it, the events the scenario declares first, one it declares that no schedule reached flagged.
/// </summary>
internal static class CoverageView
{
    /// <summary>The flag of an event no schedule reached.</summary>
    public const string Never = "never reached";

    public static void Render(IAnsiConsole console, IReadOnlyList<JobOutcome> outcomes)
    {
        var jobs = outcomes.Where(o => o.Iterations > 0 && (o.Coverage.Count > 0 || o.Job.Scenario.Events.Count > 0)).ToList();
        if (jobs.Count == 0) return;
        console.WriteLine();
        console.MarkupLine("coverage (share of each job's schedules that reached each model event):");
        foreach (var o in jobs)
        {
            var events = EventCoverage.Of(o).Select(e => e.Schedules == 0
                ? $"[red]{Markup.Escape(e.Event)} ({Never})[/]"
                : $"{Markup.Escape(e.Event)} {Share(e.Schedules, o.Iterations)}");
            console.MarkupLine($"  [bold]{Markup.Escape(o.Job.Label)}[/]: {string.Join(" · ", events)}");
        }
        var unreached = jobs.Sum(o => o.Unreached.Count);
        if (unreached > 0)
            console.MarkupLine($"[red]{unreached} declared event(s) never reached[/]: no schedule exercised them (a bigger budget, other parameters, or a workload that cannot get there)");
    }

    /// <summary>100 %, 37 %, or &lt;1 % for a share that rounds to nothing but is not nothing.</summary>
    internal static string Share(int schedules, int iterations)
    {
        var percent = 100.0 * schedules / iterations;
        return percent < 1 ? "<1 %" : Math.Round(percent).ToString("0", CultureInfo.InvariantCulture) + " %";
    }
}
