using System.Globalization;
using System.Text.RegularExpressions;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.HighMem.Scenarios;
using ScottPlot;

namespace HighMemConcurrency.Cli.Reports;

/// <summary>
/// The charts of <c>hmc stress --html</c>, drawn by ScottPlot as SVG: throughput over time (ops/s per CPU and in
/// total) and one kmap latency histogram per CPU. Each SVG is ready to inline into one HTML page: its element ids
/// carry a per-chart prefix (two charts' clip paths must not share an id in one document) and it names no URL.
/// </summary>
internal static partial class StressCharts
{
    private const string Font = "DejaVu Sans";

    /// <summary>Operations per second of each CPU (and the total) at the end of each sampling interval.</summary>
    public static string Throughput(IReadOnlyList<ThroughputSample> samples, int cpus, int width, int height)
    {
        var plot = NewPlot("Throughput over time", "time (s)", "operations/s");
        var x = samples.Select(s => s.End.TotalSeconds).ToArray();
        double Rate(ThroughputSample s, long ops) => ops / Math.Max((s.End - s.Start).TotalSeconds, 1e-9);
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            var c = cpu;
            var line = plot.Add.Scatter(x, samples.Select(s => Rate(s, c < s.OperationsPerCpu.Count ? s.OperationsPerCpu[c] : 0)).ToArray());
            line.LegendText = $"CPU{cpu}";
            line.MarkerSize = 0;
            line.LineWidth = 1.5f;
        }
        if (cpus > 1)
        {
            var total = plot.Add.Scatter(x, samples.Select(s => Rate(s, s.OperationsPerCpu.Sum())).ToArray());
            total.LegendText = "total";
            total.MarkerSize = 0;
            total.LineWidth = 2.5f;
            total.LinePattern = LinePattern.Dashed;
            total.Color = Colors.Black;
        }
        if (samples.Count == 0) plot.Add.Annotation("no samples recorded");
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0);
        return Inline(plot.GetSvgXml(width, height), "throughput");
    }

    /// <summary>
    /// One CPU's kmap latencies by power of two, counts on a log scale so that the rare slow kmaps (a sleep on
    /// pkmap_map_wait, a wrap's flush) stay visible beside the millions of fast ones.
    /// </summary>
    public static string Histogram(CpuLatency latency, int width, int height)
    {
        var plot = NewPlot($"CPU{latency.Cpu} kmap latency", "latency (power-of-two buckets)", "kmaps (log scale)");
        var buckets = latency.Buckets;
        var bars = buckets.Select((b, i) => new Bar
        {
            Position = i,
            // 1 + log10(count): one sample is a bar of height 1, ten of 2, and an empty bucket none.
            Value = b.Count > 0 ? 1 + Math.Log10(b.Count) : 0,
            FillColor = Colors.SteelBlue,
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars);
        if (buckets.Count == 0)
        {
            plot.Add.Annotation("no kmaps recorded");
        }
        else
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, buckets.Count).Select(i => (double)i).ToArray(),
                buckets.Select(b => Numbers.Nanoseconds(b.LowerNs)).ToArray());
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 80;   // room for the rotated labels above the axis label
            var decades = (int)Math.Ceiling(Math.Log10(Math.Max(1, buckets.Max(b => b.Count)))) + 1;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                Enumerable.Range(0, decades).Select(k => 1.0 + k).ToArray(),
                Enumerable.Range(0, decades).Select(k => Math.Pow(10, k).ToString("N0", CultureInfo.InvariantCulture)).ToArray());
        }
        plot.Axes.Margins(bottom: 0);
        return Inline(plot.GetSvgXml(width, height), $"cpu{latency.Cpu}");
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex Namespaces();

    [GeneratedRegex(@"(id=""|url\(#|href=""#)")]
    private static partial Regex IdReferences();

    /// <summary>
    /// The SVG as an element of an HTML page: no XML declaration, no namespace attributes (HTML's parser puts
    /// &lt;svg&gt; in the SVG namespace itself, and so the page names no URL at all), ids prefixed.
    /// </summary>
    internal static string Inline(string svg, string prefix)
    {
        var body = Namespaces().Replace(XmlDeclaration().Replace(svg, ""), "");
        return IdReferences().Replace(body, m => m.Value + prefix + "-");
    }
}
