namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// The workers of one test run. Only the thread holding the scheduling turn rents or returns a worker, so the
/// pool needs no lock of its own; the harness touches it only between executions or after taking the turn.
/// Under <see cref="HandoffPolicy.Pinned"/> the pool keeps the harness thread (its creator, for the pool's
/// lifetime) and every worker on one CPU, so that every handoff is a futex wake on the same CPU (see
/// <see cref="HandoffGate"/>). It must be created and disposed on the same thread. A thread that a pinned thread
/// creates inherits the pin (Linux), so a test body that starts real threads or grows the thread pool leaves them on
/// that CPU (a body that waits for such a thread is reported as uncontrolled concurrency).
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Stack<Worker> _free = new();
    private readonly List<Worker> _all = [];
    private readonly HandoffPolicy _policy;
    private readonly int _cpu = -1;
    private readonly ulong[]? _harnessMask;   // the harness thread's own mask, given back on dispose

    public WorkerPool(HandoffPolicy policy)
    {
        _policy = policy;
        if (policy != HandoffPolicy.Pinned || Affinity.CurrentMask() is not { } mask) return;
        var cpu = Affinity.Claim(mask);
        if (!Affinity.Set(0, Affinity.Only(cpu)))
        {
            Affinity.Release(cpu);
            return;
        }
        (_cpu, _harnessMask) = (cpu, mask);
    }

    public Worker Rent()
    {
        if (_free.TryPop(out var w)) return w;
        w = new Worker(_all.Count, _policy, _cpu);
        _all.Add(w);
        return w;
    }

    public void Return(Worker worker)
    {
        worker.Assigned = null;
        _free.Push(worker);
    }

    /// <summary>Forgets a worker whose thread ran away; it exits by itself if it ever comes back.</summary>
    public void Discard(Worker worker)
    {
        worker.Discarded = true;
        _all.Remove(worker);
        // A runaway thread that spins must not take the CPU the run goes on with.
        if (_harnessMask is not null && worker.ThreadId != 0) Affinity.Set(worker.ThreadId, _harnessMask);
    }

    public void Dispose()
    {
        foreach (var w in _all) w.Shutdown();
        _all.Clear();
        _free.Clear();
        if (_harnessMask is null) return;
        Affinity.Set(0, _harnessMask);
        Affinity.Release(_cpu);
    }
}
