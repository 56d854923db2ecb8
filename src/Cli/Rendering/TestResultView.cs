using HighMemConcurrency.Campaigns;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>The result table of <c>hmc test</c>, then one paragraph per bug saying how to replay it.</summary>
internal static class TestResultView
{
    public static void Render(IAnsiConsole console, CampaignResult result)
    {
        var (plan, outcomes, canceled, request) = (result.Plan, result.Jobs, result.Canceled, result.Request);
        console.Write(plan.Mode == TestMode.SelfCheck ? SelfCheckTable(outcomes) : JobTable(plan, outcomes));
        if (plan.Mode == TestMode.SelfCheck) RenderTraceList(console, outcomes);
        else CoverageView.Render(console, outcomes);
        if (plan.Mode != TestMode.SelfCheck) foreach (var o in outcomes.Where(o => o.Bug is not null)) RenderBug(console, o);
        if (canceled)
            console.MarkupLine($"[yellow]Canceled (Ctrl+C) after {outcomes.Count} of {plan.Jobs.Count} job(s); what ran is reported above.[/]");
        var verdict = Verdict.Outcome(plan, outcomes, canceled);
        var code = Verdict.ExitCode(plan, outcomes, canceled);
        var colour = code switch { ExitCodes.Clean => "green", ExitCodes.Canceled => "yellow", _ => "red" };
        console.MarkupLine($"[{colour}]{Markup.Escape(verdict)}[/]: {outcomes.Count} job(s), " +
                           $"{Numbers.Count(outcomes.Sum(o => (long)o.Iterations))} iterations in {Numbers.Seconds(result.Elapsed)}, seed {request.Seed} ({Markup.Escape(RepeatHint(request, outcomes))})");
        if (result.SummaryPath is { } summaryPath) Consoles.WriteRaw(console, $"summary: {Consoles.DisplayPath(summaryPath)}");
    }

    private static Table JobTable(TestPlan plan, IReadOnlyList<JobOutcome> outcomes)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(Name("scenario"));
        if (plan.Mode == TestMode.Variant) table.AddColumn(Name("variant"));
        table.AddColumn(Name("strategy")).AddColumn(new TableColumn("iterations").RightAligned().NoWrap())
            .AddColumn(new TableColumn("schedules/s").RightAligned().NoWrap()).AddColumn(Name("result"));
        foreach (var o in outcomes)
        {
            var cells = new List<string> { Markup.Escape(o.Job.Scenario.Name) };
            if (plan.Mode == TestMode.Variant) cells.Add(Markup.Escape(o.Job.Parameters.Variant));
            cells.Add(Markup.Escape(o.Job.Strategy));
            cells.Add(Numbers.Count(o.Iterations));
            cells.Add(Numbers.Rate(o.SchedulesPerSecond));
            cells.Add(ResultMarkup(o));
            table.AddRow(cells.ToArray());
        }
        return table;
    }

    private static Table SelfCheckTable(IReadOnlyList<JobOutcome> outcomes)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(Name("variant")).AddColumn(Name("scenario")).AddColumn(Name("strategy"))
            .AddColumn(new TableColumn("iterations to bug").RightAligned().NoWrap()).AddColumn(Name("result")).AddColumn("bug class");
        foreach (var o in outcomes)
        {
            var toBug = o.IterationsToBug is { } n ? Numbers.Count(n) : $"none in {Numbers.Count(o.Iterations)}";
            table.AddRow(Markup.Escape(o.Job.Variant!.Name), Markup.Escape(o.Job.Scenario.Name),
                Markup.Escape(o.FindingSlice?.Strategy ?? o.Job.Strategy), toBug, ResultMarkup(o), Markup.Escape(o.Job.Variant.BugClass));
        }
        return table;
    }

    /// <summary>
    /// How to run the same schedules again. Without a time limit the seed alone repeats the run. Under one, how far
    /// each job got depends on the machine, so the hint names the iteration budget: run in full, it contains every
    /// schedule this run explored, in the same order per strategy slice.
    /// </summary>
    internal static string RepeatHint(CampaignRequest request, IReadOnlyList<JobOutcome> outcomes)
    {
        var seed = request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (request.TimeLimit is null) return $"--seed {seed} repeats it";
        var budget = request.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cut = outcomes.Count(o => o.Stop == JobStop.TimeLimit);
        var why = cut == 0 ? "the time limit stopped no job" : $"the time limit stopped {cut} job(s) part-way";
        return $"--seed {seed} --iterations {budget} without --time-limit runs this budget in full; {why}";
    }

    /// <summary>Names and verdicts stay whole: only descriptions may wrap when the terminal is narrow.</summary>
    internal static TableColumn Name(string header) => new TableColumn(header).NoWrap();

    private static string ResultMarkup(JobOutcome o)
    {
        var text = Markup.Escape(Verdict.Result(o));
        if (o.Job.Variant is null) return o.Bug is null ? $"[green]{text}[/]" : $"[red]{text}[/]";
        return o.FoundAsExpected ? $"[green]{text}[/]" : $"[red]{text}[/]";
    }

    /// <summary>
    /// The first line of a bug message: an exception's stack trace follows it and belongs in the trace and the
    /// summary (and <c>hmc replay</c>), not in a run's overview.
    /// </summary>
    public static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end] + " …";
    }

    /// <summary>The self-check's table already says what was found; under it, only where each trace is.</summary>
    private static void RenderTraceList(IAnsiConsole console, IReadOnlyList<JobOutcome> outcomes)
    {
        var found = outcomes.Where(o => o.TracePath is not null).ToList();
        if (found.Count == 0) return;
        console.WriteLine();
        console.MarkupLine("traces (replay with [bold]hmc replay FILE[/]):");
        // A loaded scenario's trace replays only with its assembly loaded, so its line is the whole command.
        foreach (var o in found)
        {
            var path = Consoles.DisplayPath(o.TracePath!);
            Consoles.WriteRaw(console, o.Job.Scenario.Assembly is not null ? $"  {TraceFileNamer.ReplayCommand(path, o.Job.Scenario)}" : $"  {path}");
        }
    }

    private static void RenderBug(IAnsiConsole console, JobOutcome o)
    {
        var bug = o.Bug!;
        var slice = o.FindingSlice!;
        console.WriteLine();
        console.MarkupLine($"[red]{bug.Kind}[/] in [bold]{Markup.Escape(o.Job.Label)}[/], iteration {bug.Iteration} " +
                           $"({Markup.Escape(slice.Strategy)}, seed {slice.Seed}): {Markup.Escape(FirstLine(bug.Message))}");
        if (o.TracePath is not { } path) return;
        Consoles.WriteRaw(console, $"  trace:  {Consoles.DisplayPath(path)}");
        Consoles.WriteRaw(console, $"  replay: {TraceFileNamer.ReplayCommand(Consoles.DisplayPath(path), o.Job.Scenario)}");
    }
}
