using System.CommandLine;
using System.Net;
using System.Text;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Rendering;

namespace HighMemConcurrency.Cli.Reports;

/// <summary>
/// <c>hmc test --html FILE</c>: the run as one self-contained page (inline CSS, no script, no URL): what ran and its
/// verdict, a row per job with its result and replay command, and under each job its coverage — a bar per model
/// event for the share of schedules that reached it, the events the scenario declares that none reached flagged.
/// </summary>
internal static class TestHtmlReport
{
    public static Option<string?> Option() => new("--html")
    {
        Description = "Also write the run as a self-contained HTML page to FILE: the jobs, their results, and per job the share of " +
                      "schedules that reached each model event (the scenario's events no schedule reached flagged).",
        HelpName = "FILE",
    };

    public static string Build(CampaignResult result)
    {
        var summary = result.Summary;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>hmc test: ")
            .Append(E(summary.Outcome)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>hmc test: ").Append(E(summary.Mode)).Append(", seed ").Append(E(summary.Seed)).Append("</h1>\n")
            .Append("<p class=\"parameters\">").Append(E(Numbers.Count(summary.IterationsPerJob))).Append(" iterations per job, ")
            .Append(E(Numbers.Seconds(result.Elapsed))).Append("; ").Append(E(summary.Tool)).Append("</p>\n")
            .Append("<p class=\"verdict ").Append(result.ExitCode == ExitCodes.Clean ? "clean" : "failed").Append("\">")
            .Append(E(summary.Outcome)).Append("</p>\n");
        foreach (var job in result.Jobs) Job(html, job);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Job(StringBuilder html, JobOutcome o)
    {
        html.Append("<section class=\"job\" data-scenario=\"").Append(E(o.Job.Scenario.Name)).Append("\">\n<h2>").Append(E(o.Job.Label))
            .Append(" <span class=\"strategy\">").Append(E(o.Job.Strategy)).Append("</span></h2>\n")
            .Append("<p class=\"result ").Append((o.Job.Variant is null ? o.Bug is null : o.FoundAsExpected) ? "good" : "bad").Append("\">")
            .Append(E(Verdict.Result(o))).Append(", ").Append(E(Numbers.Count(o.Iterations))).Append(" schedules</p>\n");
        if (o.Bug is { } bug)
        {
            html.Append("<pre class=\"bug\">").Append(E($"{bug.Kind}: {TestResultView.FirstLine(bug.Message)}")).Append("</pre>\n");
            if (o.TracePath is { } path) html.Append("<p>replay: <code>").Append(E(TraceFileNamer.ReplayCommand(path, o.Job.Scenario))).Append("</code></p>\n");
        }
        var events = EventCoverage.Of(o);
        if (o.Iterations == 0 || events.Count == 0)
        {
            html.Append("</section>\n");
            return;
        }
        html.Append("<table class=\"coverage\">\n<thead><tr><th>model event</th><th>schedules</th><th>share</th></tr></thead>\n<tbody>\n");
        foreach (var e in events)
        {
            var share = 100.0 * e.Schedules / o.Iterations;
            html.Append("<tr class=\"").Append(e.Schedules == 0 ? "unreached" : "reached").Append(e.Expected ? " declared" : "").Append("\"><td>")
                .Append(E(e.Event)).Append("</td><td>").Append(E(Numbers.Count(e.Schedules))).Append("</td><td>")
                .Append(e.Schedules == 0 ? CoverageView.Never
                    : $"<span class=\"bar\" style=\"width: {share.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}%\"></span> " +
                      E(CoverageView.Share(e.Schedules, o.Iterations)))
                .Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; max-width: 1000px; }
        h1 { font-size: 1.4em; margin-bottom: 0.2em; }
        h2 { font-size: 1.1em; margin-bottom: 0.2em; }
        .strategy, .parameters { color: #555; font-weight: normal; }
        .verdict { font-weight: bold; }
        .verdict.clean, .result.good { color: #1a7f37; }
        .verdict.failed, .result.bad { color: #c62828; }
        table.coverage { border-collapse: collapse; margin-bottom: 1em; }
        table.coverage th, table.coverage td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
        table.coverage td:nth-child(3) { width: 16em; }
        tr.unreached td { color: #c62828; font-weight: bold; }
        .bar { display: inline-block; height: 0.8em; background: #4a7fb5; max-width: 10em; }
        pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
        """;
}
