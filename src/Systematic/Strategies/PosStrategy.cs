using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Partial order sampling (Yuan, Yang, Gu, "Partial Order Aware Concurrency Sampling", CAV 2018). Every thread's
/// pending operation carries a random priority; the enabled thread whose operation has the highest priority runs.
/// After a step, the thread that ran (it now announces a new operation) and every thread whose pending operation is
/// dependent with the step that ran (<see cref="Dependency"/>: same object, at least one write or lock/condition
/// operation) draw fresh priorities; the other priorities stay. Keeping the priorities of independent operations
/// is what makes each partial order about as likely as any other, where a uniform random walk favours orders with
/// many interleavings and PCT's guarantee falls as 1/n with the thread count. A spinning thread draws a fresh
/// priority at every step, so it cannot starve the thread it waits for for long.
/// </summary>
internal sealed class PosStrategy(ulong seed) : IExplorationStrategy
{
    // Invariant: _priority[t] is the priority of thread t's pending operation, drawn when that operation was
    // announced or when a dependent step last ran; ids ≥ _threads have no priority yet. _lastOp is the operation
    // _lastThread performed at the previous step (-1 before the first).
    private ulong[] _priority = new ulong[8];
    private int _threads;
    private int _lastThread;
    private PendingOperation _lastOp;
    private IPendingOperations? _view;
    private SplitMix64 _rng;

    public string Name => "pos";

    public bool InitializeIteration(int iteration)
    {
        _rng = new SplitMix64(seed, iteration);
        _threads = 0;
        _lastThread = -1;
        return true;
    }

    public void OnExecutionStarted(IPendingOperations threads) => _view = threads;

    public void OnThreadCreated(int threadId)
    {
        if (threadId >= _priority.Length) Array.Resize(ref _priority, 2 * threadId);   // threadId ≥ 8 here
        _priority[threadId] = _rng.NextUInt64();
        _threads = Math.Max(_threads, threadId + 1);
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        var view = _view ?? throw new InvalidOperationException("pos needs the pending operations of the execution");
        if (_lastThread >= 0)
        {
            _priority[_lastThread] = _rng.NextUInt64();
            for (var t = 0; t < _threads; t++)
            {
                if (t != _lastThread && Dependency.Dependent(t, view.Pending(t), _lastThread, _lastOp))
                    _priority[t] = _rng.NextUInt64();
            }
        }
        var best = enabled[0];
        foreach (var t in enabled)
        {
            // Stryker disable once Equality : priorities are 64-bit draws; >= differs only on a tie between two threads (odds 2^-64 a pair)
            if (_priority[t] > _priority[best]) best = t;
        }
        _lastThread = best;
        _lastOp = view.Pending(best);
        return best;
    }

    public int NextChoice(int count, int step) => _rng.Next(count);

    public void CompleteIteration(int steps) { }
}
