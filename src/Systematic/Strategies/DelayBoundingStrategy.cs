namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Delay bounding (Emmi, Qadeer, Rakamarić, "Delay-bounded scheduling", POPL 2011). A deterministic round-robin
/// scheduler runs the current thread until it blocks, finishes or yields, then the next thread in id order after it
/// (cyclically). A delay skips the thread that scheduler would pick: taking the k-th thread of its order costs k
/// delays. <c>delay-bounding</c> explores, depth-first, every schedule with at most <see cref="TestOptions.DelayBound"/>
/// delays. Unlike a preemption bound, a delay bound also limits how far from round-robin the scheduler may go when
/// a thread blocks, so with d delays only d + 1 threads' orders are ever tried at a point — which keeps the space
/// polynomial in the thread count (SCTBench, Thomson, Donaldson, Betts, found it the better bound in practice).
/// </summary>
internal sealed class DelayBound : IScheduleBound
{
    public static readonly DelayBound Instance = new();

    /// <summary>The <c>delay-bounding</c> strategy with at most <paramref name="delays"/> delays per schedule.</summary>
    public static DfsStrategy Strategy(int delays) => new("delay-bounding", Instance, delays);

    public void Order(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int[] ordered, int[] costs)
    {
        // Round-robin starts at the current thread while it may go on, otherwise at the first id after it.
        var start = 0;
        var stay = currentEnabled && !currentYields;
        while (start < enabled.Length && (stay ? enabled[start] < current : enabled[start] <= current)) start++;
        for (var i = 0; i < enabled.Length; i++)
        {
            ordered[i] = enabled[(start + i) % enabled.Length];
            costs[i] = i;
        }
    }
}

/// <summary>
/// Iterative delay bounding (<c>idb</c>): delay-bounded DFS with d = 0, then 1, 2, … , each bound explored to
/// exhaustion before the next starts, so the first bug found needs the fewest delays. Each bound re-runs the
/// schedules of the smaller ones (they are few: the space with d delays is far larger than with d − 1). The whole
/// space is exhausted once a bound prunes nothing.
/// </summary>
internal sealed class IterativeDelayBoundingStrategy : IExplorationStrategy
{
    // Invariant: _search explores exactly bound _bound; _exhaustedBounds holds, in order, the schedules each smaller
    // bound took to exhaust.
    private DfsStrategy _search = DelayBound.Strategy(0);
    private int _bound;
    private readonly List<int> _exhaustedBounds = [];

    public string Name => "idb";

    public bool IsExhausted { get; private set; }

    /// <summary>The delay bound being explored.</summary>
    public int Bound => _bound;

    public string? Summary => _exhaustedBounds.Count == 0
        ? $"delay bound {_bound} in progress"
        : string.Join("; ", _exhaustedBounds.Select((n, d) => $"delay bound {d} exhausted after {n} schedules")) +
          (IsExhausted ? " (whole space)" : $"; bound {_bound} in progress");

    public bool InitializeIteration(int iteration)
    {
        while (!_search.InitializeIteration(iteration))
        {
            _exhaustedBounds.Add(_search.Schedules);
            if (!_search.Pruned)
            {
                IsExhausted = true;
                return false;
            }
            _search = DelayBound.Strategy(++_bound);
        }
        return true;
    }

    public void OnThreadCreated(int threadId) { }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step) =>
        _search.NextThread(enabled, current, currentEnabled, currentYields, step);

    public int NextChoice(int count, int step) => _search.NextChoice(count, step);

    public void CompleteIteration(int steps) => _search.CompleteIteration(steps);
}
