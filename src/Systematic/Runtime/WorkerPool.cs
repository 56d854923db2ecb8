namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// The workers of one test run. Only the thread holding the scheduling turn rents or returns a worker, so the
/// pool needs no lock of its own; the harness touches it only between executions or after taking the turn.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Stack<Worker> _free = new();
    private readonly List<Worker> _all = [];

    public Worker Rent()
    {
        if (_free.TryPop(out var w)) return w;
        w = new Worker(_all.Count);
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
    }

    public void Dispose()
    {
        foreach (var w in _all) w.Shutdown();
        _all.Clear();
        _free.Clear();
    }
}
