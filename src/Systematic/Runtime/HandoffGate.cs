namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A one-waiter, one-signaller binary gate used to pass the single running turn between OS threads.
/// Measured on this kind of machine (MACHINE-FACTS): waking through a lock costs an extra context switch, and
/// putting the waiter fully to sleep costs 10–12 µs when the wake comes from the other CPU, so the waiter first
/// yields the CPU a bounded number of times and only then sleeps; the signaller makes a system call only when
/// the waiter really sleeps. On Linux it sleeps and wakes with a bare futex (<see cref="Futex"/>), and its poll
/// backs off when polls fail, so that on a CPU shared with busy processes it does not give its slices away.
/// </summary>
internal sealed class HandoffGate
{
    private const int Idle = 0, Signalled = 1, Sleeping = 2;
    private const int YieldsBeforeSleep = 50;

    // Measured here with 2 busy processes per CPU: each sched_yield hands a whole time slice (milliseconds) to a busy
    // process, so polling turned a 2 µs handoff into milliseconds (counter test 500× slower). A poll phase that
    // overruns this bound, or ends in sleep anyway, is evidence the CPUs are contended: the next waits poll less.
    private static readonly long PollBound = System.Diagnostics.Stopwatch.Frequency / 20_000;   // 50 µs
    private const int ProbeEvery = 64;

    // Invariant: 0 ≤ _polls ≤ YieldsBeforeSleep; touched only by the one waiting thread.
    private int _polls = YieldsBeforeSleep;
    private int _waits;

    // The state word lives in a pinned array so that a futex can sleep on its address; elsewhere a semaphore sleeps.
    private readonly int[] _word = GC.AllocateArray<int>(1, pinned: true);
    private readonly SemaphoreSlim? _sleep = Futex.Available ? null : new(0, 1);

    private ref int State => ref _word[0];

    /// <summary>Opens the gate; wakes the waiter if it is asleep, or lets its next wait return at once.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref State, Signalled) != Sleeping) return;
        if (_sleep is null) Futex.WakeOne(ref State);
        else _sleep.Release();
    }

    /// <summary>Waits until the gate is opened, then closes it again.</summary>
    public void Wait()
    {
        if (TrySpin()) return;
        if (Interlocked.CompareExchange(ref State, Sleeping, Idle) == Idle)
        {
            if (_sleep is not null) _sleep.Wait();
            else while (Volatile.Read(ref State) == Sleeping) Futex.Wait(ref State, Sleeping);
        }
        Volatile.Write(ref State, Idle);
    }

    /// <summary>Like <see cref="Wait()"/> but gives up after <paramref name="timeout"/>; true when signalled.</summary>
    public bool Wait(TimeSpan timeout)
    {
        if (TrySpin()) return true;
        if (Interlocked.CompareExchange(ref State, Sleeping, Idle) == Idle && !Sleep(timeout))
        {
            // Withdraw the sleeper; if a signal raced in, it either released the semaphore (consume it) or not yet.
            if (Interlocked.CompareExchange(ref State, Idle, Sleeping) == Sleeping) return false;
            _sleep?.Wait();
        }
        Volatile.Write(ref State, Idle);
        return true;
    }

    /// <summary>Sleeps as <see cref="Sleeping"/> for at most <paramref name="timeout"/>; true when signalled in time.</summary>
    private bool Sleep(TimeSpan timeout)
    {
        if (_sleep is not null) return _sleep.Wait(timeout);
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (Volatile.Read(ref State) == Sleeping)
        {
            var left = deadline - System.Diagnostics.Stopwatch.GetTimestamp();
            if (left <= 0) return false;
            Futex.Wait(ref State, Sleeping, TimeSpan.FromSeconds((double)left / System.Diagnostics.Stopwatch.Frequency));
        }
        return true;
    }

    /// <summary>
    /// Polls before sleeping: SpinWait spins in user mode for a few rounds (a signal from the other core usually
    /// arrives within them), then yields the CPU, which the signaller may need when both threads share a core.
    /// Measured here: a longer pure spin made the 5-thread counter test up to 4× slower. The poll adapts: it stops
    /// after 50 µs and polls half as long after each failed poll (down to none), twice as long after each success.
    /// True when signalled.
    /// </summary>
    private bool TrySpin()
    {
        // A backed-off gate still polls in full now and then, so it recovers when the load goes away.
        var polls = ++_waits % ProbeEvery == 0 ? YieldsBeforeSleep : _polls;
        var spin = new SpinWait();
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; ; i++)
        {
            if (Volatile.Read(ref State) == Signalled)
            {
                Volatile.Write(ref State, Idle);
                _polls = Math.Min(YieldsBeforeSleep, _polls * 2 + 1);
                return true;
            }
            if (i >= polls || System.Diagnostics.Stopwatch.GetTimestamp() - start > PollBound) break;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        _polls /= 2;
        return false;
    }
}
