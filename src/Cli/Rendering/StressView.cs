using HighMemConcurrency.Campaigns;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>The report of <c>hmc stress</c>: throughput, kmap latency, counters, invariants, then any hang or violation.</summary>
internal static class StressView
{
    /// <summary>"2 invariant violation(s)", "hung task (watchdog)", or both.</summary>
    public static string Failure(StressSummary s) => Failure(s.Violations.Count, s.HangReport is not null);

    /// <summary>"2 invariant violation(s)", "hung task (watchdog)", or both.</summary>
    public static string Failure(int violations, bool hang)
    {
        var parts = new List<string>();
        if (violations > 0) parts.Add($"{violations} invariant violation(s)");
        if (hang) parts.Add("hung task (watchdog)");
        return string.Join(" and ", parts);
    }

    public static void Render(IAnsiConsole console, StressSummary s, string summaryPath)
    {
        var state = s.Canceled ? " [yellow](stopped by Ctrl+C)[/]" : "";
        console.MarkupLine($"Stress [bold]{Markup.Escape(s.Scenario)}[/], variant [bold]{Markup.Escape(s.Variant)}[/], " +
                           $"{Markup.Escape(ListView.Parameters(HighMem.Scenarios.ScenarioParameters.FromDictionary(s.Parameters)))}: " +
                           $"{Numbers.Seconds(TimeSpan.FromSeconds(s.ElapsedSeconds))}{state}");
        if (s.Perturbation.On) console.MarkupLine($"perturbation: {Markup.Escape(s.Perturbation.Description)}, seed {s.Perturbation.Seed}");

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
        if (s.Reproduction is { } reproduction) RenderReproduction(console, reproduction);
        console.MarkupLine(s.Clean
            ? $"[green]clean[/]: {Numbers.Count(s.InvariantChecks)} invariant checks passed"
            : $"[red]failed[/]: {Failure(s)}");
        Consoles.WriteRaw(console, $"summary: {Consoles.DisplayPath(summaryPath)}");
    }

    /// <summary>What the systematic search made of the failure: the trace and replay command, or plainly that it found none.</summary>
    private static void RenderReproduction(IAnsiConsole console, ReproductionSummary r)
    {
        var search = r.Search;
        var budget = Numbers.Seconds(TimeSpan.FromSeconds(r.BudgetSeconds));
        var spent = search is null ? "" : $"{Numbers.Count(search.Iterations)} schedules in {Numbers.Seconds(TimeSpan.FromSeconds(search.ElapsedSeconds))}";
        switch (r.Outcome)
        {
            case ReproductionStatus.Reproduced when search?.Bug is { } bug:
                console.MarkupLine($"[green]reproduced[/] under the systematic engine after {spent} ({Markup.Escape(bug.Strategy)}, seed {bug.Seed}, " +
                                   $"iteration {bug.Iteration}): [red]{bug.Kind}[/] {Markup.Escape(TestResultView.FirstLine(bug.Message))}");
                if (bug.Trace is { } path)
                {
                    Consoles.WriteRaw(console, $"  trace:  {Consoles.DisplayPath(path)}");
                    Consoles.WriteRaw(console, $"  replay: {TraceFileNamer.ReplayCommand(Consoles.DisplayPath(path))}");
                }
                break;
            case ReproductionStatus.Canceled:
                console.MarkupLine($"[yellow]not reproduced[/]: Ctrl+C stopped the systematic search after {spent}; no trace");
                break;
            case ReproductionStatus.Off:
                console.MarkupLine("[yellow]not reproduced[/]: --reproduce-for 0 turned the systematic search off; no trace");
                break;
            default:
                console.MarkupLine($"[yellow]not reproduced[/]: the systematic engine found no bug in {spent} (portfolio, seed {r.Seed}, " +
                                   $"bound {budget}); the stress failure stands, without a trace");
                break;
        }
    }
}
