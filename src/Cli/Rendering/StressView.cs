using HighMemConcurrency.Cli.Output;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>The report of <c>hmc stress</c>: throughput, kmap latency, counters, invariants, then any hang or violation.</summary>
internal static class StressView
{
    /// <summary>"2 invariant violation(s)", "hung task (watchdog)", or both.</summary>
    public static string Failure(StressSummary s)
    {
        var parts = new List<string>();
        if (s.Violations.Count > 0) parts.Add($"{s.Violations.Count} invariant violation(s)");
        if (s.HangReport is not null) parts.Add("hung task (watchdog)");
        return string.Join(" and ", parts);
    }

    public static void Render(IAnsiConsole console, StressSummary s, string summaryPath)
    {
        var state = s.Canceled ? " [yellow](stopped by Ctrl+C)[/]" : "";
        console.MarkupLine($"Stress [bold]{Markup.Escape(s.Scenario)}[/], variant [bold]{Markup.Escape(s.Variant)}[/], " +
                           $"{Markup.Escape(ListView.Parameters(HighMem.Scenarios.ScenarioParameters.FromDictionary(s.Parameters)))}: " +
                           $"{Numbers.Seconds(TimeSpan.FromSeconds(s.ElapsedSeconds))}{state}");

        var throughput = new Table().Border(TableBorder.Rounded).Title("throughput")
            .AddColumn("cpu").AddColumn(new TableColumn("operations").RightAligned()).AddColumn(new TableColumn("ops/s").RightAligned());
        foreach (var cpu in s.PerCpu)
            throughput.AddRow($"cpu{cpu.Cpu}", Numbers.Count(cpu.Operations), Numbers.Rate(cpu.OperationsPerSecond));
        throughput.AddRow("[bold]total[/]", $"[bold]{Numbers.Count(s.Operations)}[/]", $"[bold]{Numbers.Rate(s.OperationsPerSecond)}[/]");

        var latency = new Table().Border(TableBorder.Rounded).Title("kmap latency")
            .AddColumn(new TableColumn("samples").RightAligned()).AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p90").RightAligned()).AddColumn(new TableColumn("p99").RightAligned()).AddColumn(new TableColumn("max").RightAligned());
        var l = s.KmapLatencyNs;
        latency.AddRow(Numbers.Count(l.Count), Numbers.Nanoseconds(l.P50), Numbers.Nanoseconds(l.P90), Numbers.Nanoseconds(l.P99), Numbers.Nanoseconds(l.Max));

        var counters = new Table().Border(TableBorder.Rounded).Title("counters").AddColumn("counter").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in s.Counters) counters.AddRow(Markup.Escape(name), Numbers.Count(value));
        counters.AddRow("invariant checks", Numbers.Count(s.InvariantChecks));

        console.Write(new Columns(throughput, latency, counters) { Expand = false });
        foreach (var v in s.Violations) console.MarkupLine($"[red]violation:[/] {Markup.Escape(v)}");
        if (s.HangReport is { } hang)
        {
            console.MarkupLine("[red]hung-task watchdog fired:[/]");
            console.Write(new Panel(Markup.Escape(hang)).Border(BoxBorder.Rounded));
        }
        console.MarkupLine(s.Clean
            ? $"[green]clean[/]: {Numbers.Count(s.InvariantChecks)} invariant checks passed"
            : $"[red]failed[/]: {Failure(s)}");
        Consoles.WriteRaw(console, $"summary: {Consoles.DisplayPath(summaryPath)}");
    }
}
