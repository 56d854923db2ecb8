namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// A one-waiter, one-signaller binary gate used to pass the single running turn between OS threads. The waiter
/// sleeps at once (a bare futex on Linux, see <see cref="Futex"/>); the signaller makes a system call only when the
/// waiter really sleeps.
/// </summary>
/// <remarks>
/// Why no poll phase (measured here, 2 vCPUs, counter test, one run interleaving the policies, see the README):
/// with 2 busy processes per CPU, every spin or sched_yield of a waiter hands a whole time slice to a busy process,
/// so the old poll-then-sleep gate ran 72× (random) and 164× (pct) slower than quiet, while sleeping at once ran
/// 1.4–2.4× slower. Sleeping at once is only slow when the wake has to bring a halted CPU back (10–12 µs on this
/// VM, MACHINE-FACTS); <see cref="WorkerPool"/> avoids that by keeping a run's threads on one CPU, so a handoff is a
/// futex wake on the same CPU. Only one controlled thread runs at a time, so that CPU is all a run can use anyway.
/// </remarks>
internal sealed class HandoffGate(HandoffPolicy policy)
{
    private const int Idle = 0, Signalled = 1, Sleeping = 2;
    private const int PollsBeforeSleep = 50;

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
        if (Poll()) return;
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
        if (Poll()) return true;
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

    /// <summary>True when already signalled, after polling first under <see cref="HandoffPolicy.Poll"/>.</summary>
    private bool Poll()
    {
        var spin = new SpinWait();
        for (var i = 0; ; i++)
        {
            if (Volatile.Read(ref State) == Signalled)
            {
                Volatile.Write(ref State, Idle);
                return true;
            }
            if (policy != HandoffPolicy.Poll || i == PollsBeforeSleep) return false;
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
