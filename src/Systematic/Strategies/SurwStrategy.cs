using HighMemConcurrency.Systematic.Control;

namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Selectively uniform random walk, SURW (Zhao, Wolff, Mathur, Roychoudhury, "Selectively Uniform Concurrency Testing",
/// ASPLOS 2025). A uniform random walk (URW) picks each enabled thread with probability proportional to the number of
/// events it has left — its own and those of the threads it has not created yet — which makes every interleaving of
/// those events equally likely, where a walk that picks threads uniformly favours the orders with few context switches.
/// SURW applies the weights only to the <em>interesting</em> events: the accesses to one shared object, drawn for each
/// iteration with probability proportional to how often it was accessed. Every other step is chosen by random priorities
/// (the thread that ran draws a new one), and a thread whose chosen step is interesting runs only if the weighted draw
/// picked it; otherwise it is set aside until the drawn thread has taken its interesting step.
/// The counts come from a profile: the first iteration of each <see cref="SystematicTest.IterationBlock"/> is a plain
/// random walk that records which thread created which, and which threads accessed which objects (by the names the
/// interleaving gives them, stable across iterations), and how often. Candidates are objects written at least once
/// and accessed by at least max(2, threads / 2) threads. A thread's estimate is its profiled accesses to the drawn
/// object plus its descendants'; a thread created during an iteration takes its estimate out of its parent's.
/// Two guards keep a weighted draw from stalling the run: a thread that spins (<see cref="Sim.Yield"/>) while others
/// are set aside releases them and the draw, and so does a thread that has run <see cref="FairnessBound"/> steps in a row.
/// </summary>
internal sealed class SurwStrategy(ulong seed) : IExplorationStrategy
{
    /// <summary>Consecutive steps of one thread after which the threads set aside are released.</summary>
    public const int FairnessBound = 1000;

    // The profile of the current block. Invariant: _parent[t] is the thread whose step created t (-1 for the first),
    // for every t created in the profiling iteration; _accesses[key][t] counts t's steps on the object named key.
    private readonly List<int> _parent = [];
    private readonly Dictionary<string, Dictionary<int, int>> _accesses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<(string Key, int Total)> _candidates = [];
    private bool _profiled;

    // The current iteration. Invariants: _remaining[t] ≥ 0 estimates t's interesting steps left (with those of the
    // threads it will create); a thread set aside is at an interesting step and is not _preselected; _preselected is
    // -1 or the thread the weighted draw chose for the next interesting step.
    private bool _profiling;
    private string? _interesting;
    private int[] _estimate = [];
    private int[] _remaining = new int[8];
    private ulong[] _priority = new ulong[8];
    private bool[] _setAside = new bool[8];
    private int _setAsideCount;
    private int _preselected;
    private int _lastThread;
    private int _runLength;
    private readonly Dictionary<object, bool> _isInteresting = new(ReferenceEqualityComparer.Instance);
    private IPendingOperations? _view;
    private SplitMix64 _rng;

    public string Name => "surw";

    public void OnExecutionStarted(IPendingOperations threads) => _view = threads;

    public bool InitializeIteration(int iteration)
    {
        _rng = new SplitMix64(seed, iteration);
        if ((iteration - 1) % SystematicTest.IterationBlock == 0 || !_profiled)
        {
            _parent.Clear();
            _accesses.Clear();
            _written.Clear();
            _candidates.Clear();
            _profiling = true;
        }
        else
        {
            _profiling = false;
            _interesting = DrawObject();
            _estimate = _interesting is null ? [] : Estimates(_interesting);
        }
        Array.Clear(_remaining);
        Array.Clear(_setAside);
        _setAsideCount = 0;
        _preselected = -1;
        _lastThread = -1;
        _runLength = 0;
        _isInteresting.Clear();
        return true;
    }

    public void OnThreadCreated(int threadId)
    {
        if (threadId >= _priority.Length)
        {
            var size = Math.Max(threadId + 1, 2 * _priority.Length);
            Array.Resize(ref _priority, size);
            Array.Resize(ref _remaining, size);
            Array.Resize(ref _setAside, size);
        }
        _priority[threadId] = _rng.NextUInt64();
        var parent = _lastThread;
        if (_profiling)
        {
            while (_parent.Count <= threadId) _parent.Add(-1);
            _parent[threadId] = parent;
            return;
        }
        var own = threadId < _estimate.Length ? _estimate[threadId] : 0;
        _remaining[threadId] = own;
        if (parent < 0) return;
        var before = _remaining[parent];
        _remaining[parent] = Math.Max(0, before - own);
        // The parent's draw stood for its descendants' events too: it passes to the child in the child's share.
        if (_preselected == parent && before > 0 && _rng.Next(before) < own) _preselected = threadId;
    }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        var view = _view ?? throw new InvalidOperationException("surw needs the pending operations of the execution");
        int chosen;
        if (_profiling)
        {
            chosen = enabled.Length == 1 ? enabled[0] : enabled[_rng.Next(enabled.Length)];
            Record(chosen, view.Pending(chosen));
        }
        else chosen = _interesting is null ? HighestPriority(enabled) : Selective(enabled, view);
        _runLength = chosen == _lastThread ? _runLength + 1 : 0;
        _lastThread = chosen;
        _priority[chosen] = _rng.NextUInt64();
        return chosen;
    }

    public int NextChoice(int count, int step) => _rng.Next(count);

    public void CompleteIteration(int steps)
    {
        if (!_profiling) return;
        _profiled = true;
        var threads = _parent.Count;
        foreach (var (key, byThread) in _accesses)
        {
            if (!_written.Contains(key) || byThread.Count < Math.Max(2, threads / 2)) continue;
            _candidates.Add((key, byThread.Values.Sum()));
        }
        // Sorted so that the draw does not depend on the dictionary's order.
        _candidates.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
    }

    private int Selective(ReadOnlySpan<int> enabled, IPendingOperations view)
    {
        if (_preselected >= 0 && !Contains(enabled, _preselected)) ReleaseAll();   // the drawn thread blocked: draw again
        while (true)
        {
            var chosen = HighestPriority(enabled);
            if (chosen < 0)
            {
                ReleaseAll();
                continue;
            }
            if (!IsInteresting(view.Pending(chosen)))
            {
                // A spin, or one thread running alone too long, must not keep the others set aside.
                if (_setAsideCount > 0 && (view.Pending(chosen).Kind == OperationKind.Yield || _runLength >= FairnessBound)) ReleaseAll();
                return chosen;
            }
            if (_preselected < 0) _preselected = Draw(enabled, view, chosen);
            if (chosen == _preselected)
            {
                _remaining[chosen] = Math.Max(0, _remaining[chosen] - 1);
                ReleaseAll();
                return chosen;
            }
            _setAside[chosen] = true;
            _setAsideCount++;
        }
    }

    // The weighted draw among the enabled threads not set aside: each weighs its estimated interesting steps left, at
    // least 1 if it stands at one now; with no weight anywhere, the thread that asked.
    private int Draw(ReadOnlySpan<int> enabled, IPendingOperations view, int asking)
    {
        long total = 0;
        foreach (var t in enabled)
            if (!_setAside[t]) total += Weight(t, view);
        if (total == 0) return asking;
        var point = (long)(_rng.NextUInt64() % (ulong)total);
        foreach (var t in enabled)
        {
            if (_setAside[t]) continue;
            point -= Weight(t, view);
            if (point < 0) return t;
        }
        return asking;   // not reached: the weights sum to total
    }

    private int Weight(int thread, IPendingOperations view) =>
        Math.Max(_remaining[thread], IsInteresting(view.Pending(thread)) ? 1 : 0);

    private int HighestPriority(ReadOnlySpan<int> enabled)
    {
        var best = -1;
        foreach (var t in enabled)
        {
            if (_setAside[t]) continue;
            if (best < 0 || _priority[t] > _priority[best]) best = t;
        }
        return best;
    }

    private void ReleaseAll()
    {
        if (_setAsideCount > 0) Array.Clear(_setAside);
        _setAsideCount = 0;
        _preselected = -1;
    }

    private bool IsInteresting(PendingOperation op)
    {
        if (op.Target is not ISimObject target) return false;
        if (!_isInteresting.TryGetValue(target, out var interesting))
            _isInteresting[target] = interesting = target.Describe() == _interesting;
        return interesting;
    }

    private void Record(int thread, PendingOperation op)
    {
        if (op.Target is not ISimObject target) return;
        var key = target.Describe();
        if (!_accesses.TryGetValue(key, out var byThread)) _accesses[key] = byThread = [];
        byThread[thread] = byThread.GetValueOrDefault(thread) + 1;
        if (op.Kind is not (OperationKind.VarRead or OperationKind.AtomicLoad)) _written.Add(key);
    }

    // One candidate object, drawn with probability proportional to its accesses in the profile; null without any.
    private string? DrawObject()
    {
        long total = 0;
        foreach (var (_, count) in _candidates) total += count;
        if (total == 0) return null;
        var point = (long)(_rng.NextUInt64() % (ulong)total);
        foreach (var (key, count) in _candidates)
        {
            point -= count;
            if (point < 0) return key;
        }
        return null;   // not reached
    }

    // Each profiled thread's accesses to the object, plus its descendants': children are created after their parents,
    // so one pass from the last thread to the first adds every subtree into its root.
    private int[] Estimates(string key)
    {
        var estimate = new int[_parent.Count];
        if (_accesses.TryGetValue(key, out var byThread))
            foreach (var (thread, count) in byThread)
                if (thread < estimate.Length) estimate[thread] = count;
        for (var t = estimate.Length - 1; t > 0; t--)
            if (_parent[t] >= 0) estimate[_parent[t]] += estimate[t];
        return estimate;
    }

    private static bool Contains(ReadOnlySpan<int> enabled, int thread)
    {
        foreach (var t in enabled)
            if (t == thread) return true;
        return false;
    }
}
