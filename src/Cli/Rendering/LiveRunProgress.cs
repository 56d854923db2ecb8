using HighMemConcurrency.Campaigns;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>Live progress on a terminal: one bar per job with iterations, schedules/s and the bugs found so far.</summary>
internal sealed class LiveRunProgress(ProgressContext context) : IRunProgress
{
    private const double Scale = 1000;
    private int _bugs;

    /// <summary>Runs <paramref name="work"/> under a live display on <paramref name="console"/>.</summary>
    public static T Run<T>(IAnsiConsole console, Func<IRunProgress, T> work) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new LiveRunProgress(ctx)));

    public IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare)
    {
        var label = Markup.Escape($"[{index + 1}/{count}] {job.Label} ({job.Strategy})");
        return new Job(this, context.AddTask(label, autoStart: true, maxValue: Scale), label, iterations, timeShare);
    }

    private sealed class Job(LiveRunProgress owner, ProgressTask task, string label, int iterations, TimeSpan? timeShare) : IJobProgress
    {
        public void Update(int done, TimeSpan elapsed)
        {
            // Whichever budget runs out first decides how far along the job is.
            var fraction = Math.Max((double)done / iterations, timeShare is { } t ? elapsed / t : 0);
            task.Value = Math.Min(Scale, fraction * Scale);
            var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
            task.Description = $"{label} [grey]{Numbers.Count(done)} it · {Numbers.Rate(rate)}/s · bugs {Volatile.Read(ref owner._bugs)}[/]";
        }

        public void Finish(JobOutcome outcome)
        {
            if (outcome.Bug is not null) Interlocked.Increment(ref owner._bugs);
            var colour = outcome.Bug is null ? "green" : outcome.Job.Variant is null ? "red" : "yellow";
            task.Description = $"{label} [{colour}]{Markup.Escape(Verdict.Result(outcome))}[/] [grey]{Numbers.Count(outcome.Iterations)} it[/]";
            task.Value = Scale;
            task.StopTask();
        }
    }
}
