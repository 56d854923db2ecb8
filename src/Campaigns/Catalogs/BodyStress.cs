using System.Diagnostics;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The native stress run of a <see cref="TestBodyScenario"/>: its body, iteration after iteration, on real threads
/// (the primitives run natively outside a test), until the duration is spent or it is cancelled. An iteration that
/// throws is a violation (its message, once per distinct message, at most <see cref="MaxViolations"/>); one that does
/// not return within the watchdog timeout is a hang — a task asleep for good or spinning — and ends the run, its threads
/// abandoned (they are background threads, so the process still exits). The operations counted are iterations.
/// </summary>
internal static class BodyStress
{
    private const int MaxViolations = 20;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    public static StressReport Run(string name, ScenarioParameters parameters, Action body, StressOptions options, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var violations = new List<string>();
        var lastProgress = TimeSpan.Zero;
        long iterations = 0;
        string? hang = null;
        while (clock.Elapsed < options.Duration && !cancellation.IsCancellationRequested && violations.Count < MaxViolations)
        {
            Exception? error = null;
            var thread = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    error = e;
                }
            }) { IsBackground = true, Name = $"{name} iteration {iterations + 1}" };
            thread.Start();
            if (!thread.Join(options.WatchdogTimeout))
            {
                hang = $"watchdog: iteration {iterations + 1} of {name} did not return within {options.WatchdogTimeout.TotalSeconds:0.#} s " +
                       "(a task asleep for good, or spinning); its threads are abandoned";
                break;
            }
            iterations++;
            if (error is not null && Describe(error) is var violation && !violations.Contains(violation)) violations.Add(violation);
            if (clock.Elapsed - lastProgress >= ProgressEvery)
            {
                lastProgress = clock.Elapsed;
                options.Progress?.Report(new StressProgress(lastProgress, iterations, iterations / lastProgress.TotalSeconds));
            }
        }
        return new StressReport
        {
            Scenario = name,
            Parameters = parameters,
            Elapsed = clock.Elapsed,
            Operations = iterations,
            OperationsPerCpu = [],   // an iteration runs on every CPU of its own machine: no per-CPU share to report
            KmapLatency = new LatencySummary(0, 0, 0, 0, 0),
            Counters = new Dictionary<string, long> { ["iterations"] = iterations },
            InvariantChecks = iterations,
            Violations = violations,
            HangReport = hang,
            Canceled = cancellation.IsCancellationRequested,
        };
    }

    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
}
