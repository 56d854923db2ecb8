using HighMemConcurrency.HighMem.Scenarios;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>Progress of a stress run: a live bar on a terminal, a plain line every few seconds otherwise.</summary>
internal static class StressProgressDisplay
{
    public static T Run<T>(CliEnvironment env, string label, TimeSpan duration, Func<IProgress<StressProgress>, T> work)
    {
        if (!env.ErrorIsTerminal)
        {
            // As `hmc test` does for a job: a log shows when the run began, not only its first figures seconds later.
            lock (env.Error) env.Error.WriteLine($"{label}: started, up to {Numbers.Seconds(duration)}");
            return work(new PlainLines(env.Error, label));
        }
        return Consoles.Error(env).Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(label), autoStart: true, maxValue: duration.TotalSeconds);
                var result = work(new Live(task, Markup.Escape(label)));
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }

    private static string Text(StressProgress p) =>
        $"{Numbers.Count(p.Operations)} ops, {Numbers.Rate(p.OperationsPerSecond)} ops/s, {Numbers.Seconds(p.Elapsed)}";

    private static string WatchdogText(StressProgress p, string hang) =>
        $"watchdog fired at {Numbers.Seconds(p.Elapsed)} ({hang}); dumping who holds and waits for what, stopping the round";

    // Synchronous IProgress: Progress<T> would post to the thread pool and could print after the report.
    private sealed class Live(ProgressTask task, string label) : IProgress<StressProgress>
    {
        public void Report(StressProgress value)
        {
            task.Value = Math.Min(task.MaxValue, value.Elapsed.TotalSeconds);
            task.Description = value.WatchdogFired is { } hang
                ? $"{label} [red]{Markup.Escape(WatchdogText(value, hang))}[/]"
                : $"{label} [grey]{Text(value)}[/]";
        }
    }

    private sealed class PlainLines(TextWriter writer, string label) : IProgress<StressProgress>
    {
        private TimeSpan _next = PlainRunProgress.Interval;

        public void Report(StressProgress value)
        {
            if (value.WatchdogFired is { } hang)
            {
                lock (writer) writer.WriteLine($"{label}: {WatchdogText(value, hang)}");
                return;
            }
            if (value.Elapsed < _next) return;
            _next = value.Elapsed + PlainRunProgress.Interval;
            lock (writer) writer.WriteLine($"{label}: {Text(value)}");
        }
    }
}
