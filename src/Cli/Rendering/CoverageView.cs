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
        // Wrapped here, between entries, so that no "name 100 %" is cut in two at the console's edge.
        var width = Math.Max(40, console.Profile.Width);
        foreach (var o in jobs)
        {
            var line = new System.Text.StringBuilder($"  [bold]{Markup.Escape(o.Job.Label)}[/]:");
            var length = 3 + o.Job.Label.Length;
            var first = true;
            foreach (var e in EventCoverage.Of(o))
            {
                var text = e.Schedules == 0 ? $"{e.Event} ({Never})" : $"{e.Event} {Share(e.Schedules, o.Iterations)}";
                var markup = e.Schedules == 0 ? $"[red]{Markup.Escape(text)}[/]" : Markup.Escape(text);
                var separator = first ? " " : " · ";
                // Room for the entry and the " ·" that ends the line if the next one does not fit.
                if (!first && length + separator.Length + text.Length + 2 > width)
                {
                    console.MarkupLine(line.Append(" ·").ToString());
                    line.Clear().Append("    ");
                    length = 4;
                    separator = "";
                }
                line.Append(separator).Append(markup);
                length += separator.Length + text.Length;
                first = false;
            }
            console.MarkupLine(line.ToString());
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
