namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010). Each thread gets
/// a random distinct priority when it is created; the highest-priority enabled thread always runs; at d − 1
/// change points, drawn uniformly from the steps of the longest iteration seen so far (in this block of
/// <see cref="SystematicTest.IterationBlock"/> iterations), the running thread drops
/// below every initial priority. A bug of depth d among n threads and k steps is found with probability at least
/// 1/(n·k^(d−1)) per iteration.
/// Pure PCT never lets a low-priority thread run while a higher one spins, so a correct spin-wait (a loop around
/// <see cref="Sim.Yield"/>) would look like a livelock. As a fairness bound, a thread that yields after running
/// <see cref="FairnessBound"/> steps in a row while others were enabled drops below every other thread; a loop
/// that nobody can end is still reported as a livelock at the step bound.
/// </summary>
internal sealed class PctStrategy(ulong seed, int depth) : IExplorationStrategy
{
    // Invariant: _high holds the threads that still have their initial priority, highest first; every created thread
    // is either in _high or (once) in _lowered, never both. The thread lowered at change point j (0-based) gets
    // priority c − j, for c the number of change points (c ≤ d − 1), so a later change point lowers below an
    // earlier one; fairness demotions get 0, −1, …, below every change point. Priorities in _lowered are distinct.
    private readonly List<int> _high = [];
    private readonly List<(int Thread, int Priority)> _lowered = [];
    private readonly List<int> _changePoints = [];   // sorted ascending
    private int _nextChange;                          // index of the first change point not yet reached
    private SplitMix64 _rng;
    private const int InitialStepEstimate = 16;
    private int _stepEstimate = InitialStepEstimate;   // k: the longest iteration seen so far in this iteration block
    private int _lastChosen;          // -1 before the first step
    private int _runLength;           // consecutive steps _lastChosen ran while another thread was enabled
    private int _nextDemotedPriority; // demotions for fairness go below every change-point priority (≥ 1)

    /// <summary>Consecutive steps after which a yielding thread gives way to the others.</summary>
    public const int FairnessBound = 1000;

    public string Name => "pct";

    public bool InitializeIteration(int iteration)
    {
        _rng = new SplitMix64(seed, iteration);
        // The estimate learns within an iteration block only, so that a block's schedules do not depend on where the run began.
        if ((iteration - 1) % SystematicTest.IterationBlock == 0) _stepEstimate = InitialStepEstimate;
        _high.Clear();
        _lowered.Clear();
        _changePoints.Clear();
        _lastChosen = -1;
        _runLength = 0;
        _nextDemotedPriority = 0;
        var wanted = Math.Min(depth - 1, _stepEstimate);
        while (_changePoints.Count < wanted)
        {
            var point = 1 + _rng.Next(_stepEstimate);
            if (!_changePoints.Contains(point)) _changePoints.Add(point);
        }
        _changePoints.Sort();
        _nextChange = 0;
        return true;
    }

    public void OnThreadCreated(int threadId) => _high.Insert(_rng.Next(_high.Count + 1), threadId);

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        // Steps only grow within an iteration, so the next change point is the only one to compare with.
        if (_nextChange < _changePoints.Count && step >= _changePoints[_nextChange])
        {
            if (step == _changePoints[_nextChange] && _high.Remove(current)) _lowered.Add((current, _changePoints.Count - _nextChange));
            _nextChange++;
        }
        if (currentYields && _runLength >= FairnessBound && enabled.Length > 1) Demote(current);

        var chosen = Highest(enabled);
        if (chosen == _lastChosen && enabled.Length > 1) _runLength++;
        else _runLength = 0;
        _lastChosen = chosen;
        return chosen;
    }

    private void Demote(int thread)
    {
        _high.Remove(thread);
        _lowered.RemoveAll(p => p.Thread == thread);
        _lowered.Add((thread, _nextDemotedPriority--));
        _runLength = 0;
    }

    private int Highest(ReadOnlySpan<int> enabled)
    {
        if (enabled.Length == 1) return enabled[0];
        foreach (var thread in _high)
            if (IsIn(enabled, thread)) return thread;

        // Every enabled thread not in _high is in _lowered, so the loop picks one of them.
        var best = enabled[0];
        var bestPriority = int.MinValue;
        foreach (var (thread, priority) in _lowered)
        {
            // Stryker disable once Equality : priorities in _lowered are distinct (see the invariant), so > and >= pick the same thread
            if (priority > bestPriority && IsIn(enabled, thread))
            {
                best = thread;
                bestPriority = priority;
            }
        }
        return best;
    }

    // A plain loop: the enabled set is a handful of ids, too few for the vectorised Contains to pay off.
    private static bool IsIn(ReadOnlySpan<int> enabled, int thread)
    {
        foreach (var t in enabled)
            if (t == thread) return true;
        return false;
    }

    public int NextChoice(int count, int step) => _rng.Next(count);

    public void CompleteIteration(int steps) => _stepEstimate = Math.Max(_stepEstimate, steps);
}
