using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// The stutter of one stress round (locktorture's and rcutorture's <c>stutter</c>): bursts of work of
/// <see cref="StressPerturbation.StutterRun"/>, each followed by a pause in which every task, reaching the end of its
/// current operation, parks off its CPU (<see cref="KernelTask.Park"/>). A pause ends once it has lasted
/// <see cref="StressPerturbation.StutterPause"/> and every task has parked; then the tasks resume together, a burst
/// of contention — each task but with chance 1/2 (a seeded choice; never none of them): the others sit the burst out
/// parked, so that the load varies from burst to burst and a task is often the last one running. The stutter goes on in
/// the free phases of the round too (<see cref="PerturbationPhases"/>): a lost wakeup shows at the next pause whenever
/// it happened, and a free-running peer would otherwise heal it. A pause is the stress run's equivalent of a systematic iteration's end: nobody holds a kmap or a lock,
/// so a task that cannot reach the end of its operation (asleep after a lost wakeup, or in an exhausted pool) is
/// stuck for good and the watchdog reports it — free-running peers would otherwise heal such a hang by their next
/// kunmap. Parked tasks count as alive for the watchdog; a pause waits for stragglers only until the watchdog's
/// abort or the round's stop.
/// </summary>
internal sealed class Stutter
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(1);

    private readonly long _runTicks;
    private readonly long _pauseTicks;
    private readonly int _tasks;
    private readonly Machine _machine;
    private readonly RunProbe _probe;
    private readonly CancellationToken _stop;
    private readonly Func<long> _now;   // the round's clock: Stopwatch ticks since it began
    private readonly Lock _gate = new();
    private readonly PerturbationStream _choices;   // the bench decisions, drawn under _gate
    private long _nextPauseAt;   // clock ticks; read without the gate on every operation's fast path
    // Guarded by _gate:
    private bool _pausing;
    private long _pauseEndsAt;
    private int _arrived;        // tasks parked in the current pause, those sitting the last burst out included
    private long _generation;    // the current (or last) pause
    private long _released;      // the last pause that ended
    private readonly long[] _resumeAfter;   // per task: the pause whose end resumes it (one more for a task sitting a burst out)

    /// <summary>
    /// The stutter of a round of <paramref name="tasks"/> pausing tasks on <paramref name="machine"/>, until
    /// <paramref name="stop"/>, on the round's clock <paramref name="now"/>; <paramref name="choices"/> decides who sits
    /// a burst out.
    /// </summary>
    public Stutter(StressPerturbation options, int tasks, Machine machine, RunProbe probe, CancellationToken stop, PerturbationStream choices,
        Func<long> now)
    {
        _now = now;
        _runTicks = Ticks(options.StutterRun);
        _pauseTicks = Ticks(options.StutterPause);
        _tasks = tasks;
        _machine = machine;
        _probe = probe;
        _stop = stop;
        _choices = choices;
        _resumeAfter = new long[tasks];
        _nextPauseAt = _runTicks;
    }

    /// <summary>
    /// Called by <paramref name="task"/> between two of its operations, holding nothing: during a pause it parks
    /// here until the pause ends (or the round stops; an aborted machine unwinds it).
    /// </summary>
    public void Boundary(KernelTask task)
    {
        if (_now() < Volatile.Read(ref _nextPauseAt)) return;
        var index = task.Index;
        lock (_gate)
        {
            if (!_pausing)
            {
                var now = _now();
                if (now < _nextPauseAt) return;
                _pausing = true;
                _pauseEndsAt = now + _pauseTicks;
                _arrived = _resumeAfter.Count(r => r > _released);   // still parked, sitting the last burst out
                _generation++;
                _machine.Counters.Add("perturb.pauses");
            }
            if (index < _resumeAfter.Length)   // a task beyond those the round counts parks without being waited for
            {
                _arrived++;
                _resumeAfter[index] = _generation;
            }
        }
        _probe.Parked(task, true);
        try
        {
            task.Park(() => Resumed(index), Poll);
        }
        finally
        {
            _probe.Parked(task, false);
        }
    }

    private bool Resumed(int task)
    {
        if (_stop.IsCancellationRequested) return true;
        lock (_gate)
        {
            var now = _now();
            if (_pausing && now >= _pauseEndsAt && _arrived >= _tasks)
            {
                _pausing = false;
                _released = _generation;
                Bench();
                Volatile.Write(ref _nextPauseAt, now + _runTicks);
            }
            return task >= _resumeAfter.Length ? !_pausing : _released >= _resumeAfter[task];
        }
    }

    // Under _gate, as a pause ends: each task sits the coming burst out with chance 1/2 (never all of them).
    private void Bench()
    {
        if (_tasks < 2) return;
        var benched = Enumerable.Range(0, _tasks).Where(_ => _choices.NextInt(2) == 0).ToList();
        if (benched.Count == _tasks) benched.RemoveAt(_choices.NextInt(_tasks));
        foreach (var t in benched) _resumeAfter[t] = _released + 1;
    }

    private static long Ticks(TimeSpan span) => PerturbationPhases.Ticks(span);
}
