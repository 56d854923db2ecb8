using System.Diagnostics;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// Runs a scenario natively: rounds of its <see cref="IStressWorkload"/> on real (background) threads — one round
/// lasts the run, tasks looping until stopped; a round a violation ended is followed by a fresh one — until the
/// duration is spent, it is cancelled, a violation aborts the machine or too many violations pile up. A monitor loop
/// samples throughput into the <see cref="StressRecorder"/>, reports progress, and is the watchdog: when no
/// operation completes for the timeout (by any task, or by one task), or the tasks do not stop within it, it writes a hang report and aborts the machine so every model thread unwinds; a round that
/// still does not unwind is abandoned, so the process never hangs.
/// </summary>
internal sealed class StressDriver
{
    private const int MaxViolations = 20;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    private readonly IStressWorkload _workload;
    private readonly StressOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly StressRecorder _recorder;
    private readonly RunProbe _probe;
    private readonly int _tasks;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastProgress;

    private StressDriver(IStressWorkload workload, ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        _workload = workload;
        _options = options;
        _cancellation = cancellation;
        _tasks = parameters.Cpus * parameters.TasksPerCpu;
        _recorder = new StressRecorder(parameters.Cpus, options.Duration);
        _probe = new RunProbe(parameters.Cpus, _tasks, _recorder, options.Perturbation, options.Seed);
    }

    /// <summary>Stress-runs <paramref name="workload"/> of scenario <paramref name="name"/>.</summary>
    public static StressReport Run(string name, IStressWorkload workload, ScenarioParameters parameters, StressOptions options, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        return new StressDriver(workload, parameters, options, cancellation).Run(name, parameters);
    }

    private bool Over => _clock.Elapsed >= _options.Duration || _cancellation.IsCancellationRequested;

    private StressReport Run(string name, ScenarioParameters parameters)
    {
        var counters = new Dictionary<string, long>();
        string? hang = null;
        long rounds = 0;
        while (!Over && hang is null && _probe.Violations.Count < MaxViolations)
        {
            var stop = new CancellationTokenSource();
            _probe.LoopUntil(stop.Token);   // before the round starts: its tasks loop, and its stutter parks them, until the stop
            Exception? error = null;
            var round = new Thread(() =>
            {
                try
                {
                    _workload.RunRound(_probe, stop.Token);
                }
                catch (Exception e)
                {
                    error = e;
                }
            }) { IsBackground = true, Name = $"{name} round {rounds}" };
            round.Start();
            hang = Watch(round, stop);
            _recorder.Sample(_clock.Elapsed, _probe.OperationsPerCpu);   // rounds may be shorter than the watch's poll
            rounds++;
            // A round the watchdog abandoned may still have threads reading its token: it is left to the collector.
            if (!round.IsAlive) stop.Dispose();
            if (error is not null and not MachineAbortedException) _probe.Violation(Describe(error));
            if (_probe.Round is { } r)
                foreach (var (k, v) in r.Counters()) counters[k] = counters.GetValueOrDefault(k) + v;
            if (_probe.Machine?.Aborted == true) break;
        }
        counters["rounds"] = rounds;
        var ops = _probe.OperationsPerCpu;
        var elapsed = _clock.Elapsed;
        _recorder.Finish(elapsed, ops);
        return new StressReport
        {
            Scenario = name,
            Parameters = parameters,
            Elapsed = elapsed,
            Operations = ops.Sum(),
            OperationsPerCpu = ops,
            KmapLatency = _recorder.LatencySummary(),
            Throughput = _recorder.Throughput,
            KmapLatencyPerCpu = _recorder.LatencyPerCpu(),
            Counters = counters,
            InvariantChecks = _probe.InvariantChecks,
            Violations = _probe.Violations,
            HangReport = hang,
            Canceled = _cancellation.IsCancellationRequested,
        };
    }

    // Waits for the round, stopping it when the run is over or its machine aborted; returns a hang report if it
    // stopped making progress or did not stop in time.
    private string? Watch(Thread round, CancellationTokenSource stop)
    {
        var timeout = _options.WatchdogTimeout;
        StressRound? watched = null;
        var seen = _probe.Progress;
        var since = _clock.Elapsed;
        var taskSeen = new long[_tasks];
        var taskSince = new TimeSpan[_tasks];
        TimeSpan? stopAt = null;
        while (!round.Join(Poll))
        {
            var now = _clock.Elapsed;
            _recorder.Sample(now, _probe.OperationsPerCpu);
            ReportProgress(now);
            if (stopAt is null && (Over || _probe.Machine?.Aborted == true))
            {
                stop.Cancel();
                stopAt = now;
            }
            if (!ReferenceEquals(watched, _probe.Round))
            {
                watched = _probe.Round;
                Array.Clear(taskSeen);
                Array.Fill(taskSince, now);
            }
            string? hang = null;
            var progress = _probe.Progress;
            if (progress != seen)
            {
                seen = progress;
                since = now;
            }
            else if (now - since >= timeout)
            {
                hang = $"no operation completed for {timeout.TotalSeconds:F1} s";
            }
            if (hang is null && watched is not null && StalledTask(watched.Machine, taskSeen, taskSince, now) is { } task)
                hang = $"task {task} completed no operation for {timeout.TotalSeconds:F1} s";
            if (hang is null && stopAt is { } at && now - at >= timeout) hang = $"tasks did not stop within {timeout.TotalSeconds:F1} s";
            if (hang is null) continue;
            ReportWatchdog(now, hang);   // first: the dump and the round's unwinding may take a while
            var report = watched is null ? hang : hang + "\n" + watched.DescribeHang();
            watched?.Machine.Abort("watchdog: no progress");
            stop.Cancel();   // whatever of the round still runs is told to stop, even if it is abandoned below
            round.Join(TimeSpan.FromSeconds(1));   // abandoned if it still does not unwind (background thread)
            return report;
        }
        return null;
    }

    private KernelTask? StalledTask(Machine machine, long[] taskSeen, TimeSpan[] taskSince, TimeSpan now)
    {
        var tasks = machine.Tasks;
        for (var t = 0; t < Math.Min(tasks.Count, _tasks); t++)
        {
            var beat = _probe.HeartbeatOfTask(t);
            if (beat != taskSeen[t] || _probe.IsParked(t))   // a task parked in a stutter pause waits for the others: not stalled
            {
                taskSeen[t] = beat;
                taskSince[t] = now;
            }
            else if (now - taskSince[t] >= _options.WatchdogTimeout && !tasks[t].Finished)
            {
                return tasks[t];
            }
        }
        return null;
    }

    private void ReportProgress(TimeSpan now)
    {
        if (_options.Progress is not { } progress || now - _lastProgress < ProgressEvery) return;
        _lastProgress = now;
        var done = _probe.OperationsPerCpu.Sum();
        progress.Report(new StressProgress(now, done, done / Math.Max(1e-9, now.TotalSeconds)));
    }

    private void ReportWatchdog(TimeSpan now, string hang)
    {
        var done = _probe.OperationsPerCpu.Sum();
        _options.Progress?.Report(new StressProgress(now, done, done / Math.Max(1e-9, now.TotalSeconds)) { WatchdogFired = hang });
    }

    private static string Describe(Exception e) => e switch
    {
        KernelBugException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
