using System.CommandLine;
using System.Net;
using System.Text;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Reports;

/// <summary>
/// <c>hmc stress --html FILE</c>: the run as one self-contained page (inline CSS and SVG, no script, no URL):
/// what ran and its verdict, the figures of the text report, throughput over time and a kmap latency histogram
/// per CPU, then any violation, hang and the reproduction's replay command.
/// </summary>
internal static class StressHtmlReport
{
    private const int WideWidth = 960;
    private const int WideHeight = 360;
    private const int HistogramWidth = 470;
    private const int HistogramHeight = 320;

    public static Option<string?> Option() => new("--html")
    {
        Description = "Also write the run as a self-contained HTML page to FILE: throughput over time and a kmap latency histogram per CPU.",
        HelpName = "FILE",
    };

    public static string Build(StressSummary summary, StressReport report)
    {
        var cpus = report.Parameters.Cpus;
        var what = $"{summary.Scenario}{(summary.Variant == TestPlanner.None ? "" : " + " + summary.Variant)}, {cpus} CPUs";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>hmc stress: ").Append(E(what)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>hmc stress: ").Append(E(what)).Append("</h1>\n")
            .Append("<p class=\"parameters\">").Append(E(ListView.Parameters(report.Parameters))).Append(", ")
            .Append(E(Numbers.Seconds(report.Elapsed))).Append(summary.Canceled ? " (stopped by Ctrl+C)" : "").Append("; ")
            .Append(E(summary.Tool)).Append("</p>\n")
            .Append(summary.Perturbation.On
                ? $"<p class=\"perturbation\">perturbation: {E(summary.Perturbation.Description)}, seed {E(summary.Perturbation.Seed)}</p>\n"
                : "")
            .Append(summary.Clean
                ? $"<p class=\"verdict clean\">clean: {E(Numbers.Count(summary.InvariantChecks))} invariant checks passed</p>\n"
                : $"<p class=\"verdict failed\">failed: {E(StressView.Failure(summary))}</p>\n");
        Figures(html, summary);
        html.Append("<section class=\"chart throughput\" id=\"throughput\">\n")
            .Append(StressCharts.Throughput(report.Throughput, cpus, WideWidth, WideHeight)).Append("\n</section>\n");
        html.Append("<section class=\"histograms\" id=\"latency\">\n<h2>kmap latency per CPU</h2>\n");
        foreach (var latency in PerCpu(report))
        {
            html.Append("<figure class=\"chart histogram\" data-cpu=\"").Append(latency.Cpu).Append("\">\n")
                .Append(StressCharts.Histogram(latency, HistogramWidth, HistogramHeight))
                .Append("\n<figcaption>CPU").Append(latency.Cpu).Append(": ")
                .Append(E(Numbers.Count(latency.Buckets.Sum(b => b.Count)))).Append(" kmaps</figcaption>\n</figure>\n");
        }
        html.Append("</section>\n");
        Findings(html, summary);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Every CPU gets a histogram, an empty one when the scenario recorded nothing for it.</summary>
    private static IEnumerable<CpuLatency> PerCpu(StressReport report) =>
        Enumerable.Range(0, report.Parameters.Cpus)
            .Select(cpu => report.KmapLatencyPerCpu.FirstOrDefault(l => l.Cpu == cpu) ?? new CpuLatency(cpu, []));

    private static void Figures(StringBuilder html, StressSummary s)
    {
        html.Append("<table class=\"figures\">\n<thead><tr><th>cpu</th><th>operations</th><th>ops/s</th></tr></thead>\n<tbody>\n");
        foreach (var cpu in s.PerCpu)
            html.Append($"<tr><td>cpu{cpu.Cpu}</td><td>{E(Numbers.Count(cpu.Operations))}</td><td>{E(Numbers.Rate(cpu.OperationsPerSecond))}</td></tr>\n");
        html.Append($"<tr class=\"total\"><td>total</td><td>{E(Numbers.Count(s.Operations))}</td><td>{E(Numbers.Rate(s.OperationsPerSecond))}</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
        var l = s.KmapLatencyNs;
        html.Append("<table class=\"figures\">\n<thead><tr><th>kmaps</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr></thead>\n<tbody>\n")
            .Append($"<tr><td>{E(Numbers.Count(l.Count))}</td><td>{E(Numbers.Nanoseconds(l.P50))}</td><td>{E(Numbers.Nanoseconds(l.P90))}</td>")
            .Append($"<td>{E(Numbers.Nanoseconds(l.P99))}</td><td>{E(Numbers.Nanoseconds(l.Max))}</td></tr>\n</tbody>\n</table>\n");
    }

    private static void Findings(StringBuilder html, StressSummary s)
    {
        if (s.Clean) return;
        html.Append("<section class=\"findings\" id=\"findings\">\n<h2>Findings</h2>\n");
        foreach (var v in s.Violations) html.Append("<pre class=\"violation\">").Append(E(v)).Append("</pre>\n");
        if (s.HangReport is { } hang) html.Append("<h3>Hung-task watchdog</h3>\n<pre class=\"hang\">").Append(E(hang)).Append("</pre>\n");
        if (s.Reproduction is { } r)
        {
            html.Append("<p class=\"reproduction\">");
            if (r.Replay is { } replay)
                html.Append("Reproduced under the systematic engine as ").Append(E(r.Search?.Bug?.Kind ?? "a bug"))
                    .Append("; replay it with <code>").Append(E(replay)).Append("</code>");
            else
                html.Append("Not reproduced under the systematic engine (").Append(E(r.Outcome.ToString())).Append("); no trace");
            html.Append("</p>\n");
        }
        html.Append("</section>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; max-width: 1000px; }
        h1 { font-size: 1.4em; margin-bottom: 0.2em; }
        .parameters { color: #555; margin-top: 0; }
        .verdict { font-weight: bold; }
        .verdict.clean { color: #1a7f37; }
        .verdict.failed { color: #c62828; }
        table.figures { border-collapse: collapse; display: inline-table; margin: 0 1.5em 1em 0; vertical-align: top; }
        table.figures th, table.figures td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
        table.figures tr.total td { font-weight: bold; }
        .histograms { display: flex; flex-wrap: wrap; gap: 0.5em; }
        .histograms h2 { width: 100%; }
        figure { margin: 0; }
        figcaption { text-align: center; color: #555; }
        pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; }
        """;
}
