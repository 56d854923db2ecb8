namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Depth-first search over every schedule (CHESS, Musuvathi and Qadeer, PLDI 2007), optionally bounded by a
/// <see cref="IScheduleBound"/>: preemptions (switching away from a thread that could have continued) for
/// <c>dfs</c>, delays of a round-robin scheduler for <c>delay-bounding</c>. Each iteration replays the prefix of the
/// previous one up to its deepest decision with an untried alternative, takes that alternative, and continues with
/// the first option (the one that costs nothing) at every new decision. When no alternative is left the space is
/// exhausted.
/// </summary>
internal sealed class DfsStrategy(string name, IScheduleBound bound, int? limit) : IExplorationStrategy
{
    /// <summary>Preemption-bounded DFS (<c>dfs</c>); a null bound explores every schedule.</summary>
    public DfsStrategy(int? preemptionBound) : this("dfs", PreemptionBound.Instance, preemptionBound) { }

    // A value choice costs nothing: its costs are null.
    private sealed class Node(bool isChoice, int[] options, int[]? costs, int costBefore)
    {
        public readonly bool IsChoice = isChoice;
        public readonly int[] Options = options;
        public int Index;

        public int Chosen => Options[Index];

        public int CostAfter => costs is null ? costBefore : costBefore + costs[Index];
    }

    // Invariant: _path is the decision sequence of the next schedule to run; [0, _position) has been replayed
    // in the current iteration. Every node's Index points at an option not yet fully explored, and every option
    // kept in a node keeps the schedule's total cost within the limit.
    private readonly List<Node> _path = [];
    private int _position;

    public string Name => name;

    /// <summary>True once every schedule within the bound has been run.</summary>
    public bool IsExhausted { get; private set; }

    /// <summary>True when some option was left out because of the limit (a larger limit would see more).</summary>
    public bool Pruned { get; private set; }

    /// <summary>Iterations that started in this search.</summary>
    public int Schedules { get; private set; }

    public string? Summary => limit is { } max && IsExhausted
        ? $"bound {max} exhausted after {Schedules} schedules" + (Pruned ? "" : " (no schedule needed more: whole space)")
        : null;

    public bool InitializeIteration(int iteration)
    {
        _position = 0;
        if (IsExhausted) return false;
        Schedules++;
        return true;
    }

    public void OnThreadCreated(int threadId) { }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        if (_position < _path.Count)
        {
            var replayed = _path[_position++];
            if (replayed.IsChoice || !enabled.Contains(replayed.Chosen))
                throw new NondeterministicTestException(step, "a thread decision");
            return replayed.Chosen;
        }

        var before = CostSoFar;
        var ordered = new int[enabled.Length];
        var costs = new int[enabled.Length];
        bound.Order(enabled, current, currentEnabled, currentYields, ordered, costs);
        var kept = ordered.Length;
        if (limit is { } max)
        {
            kept = 0;
            while (kept < ordered.Length && before + costs[kept] <= max) kept++;
            if (kept < ordered.Length)
            {
                Pruned = true;
                Array.Resize(ref ordered, kept);
            }
        }
        var node = new Node(false, ordered, costs, before);
        _path.Add(node);
        _position++;
        return node.Chosen;
    }

    public int NextChoice(int count, int step)
    {
        if (_position < _path.Count)
        {
            var replayed = _path[_position++];
            if (!replayed.IsChoice || replayed.Options.Length != count)
                throw new NondeterministicTestException(step, "a value choice");
            return replayed.Chosen;
        }
        var before = CostSoFar;
        var options = new int[count];
        for (var i = 0; i < count; i++) options[i] = i;
        var node = new Node(true, options, null, before);
        _path.Add(node);
        _position++;
        return 0;
    }

    // The cost of the decisions taken so far in this iteration.
    private int CostSoFar => _position == 0 ? 0 : _path[_position - 1].CostAfter;

    public void CompleteIteration(int steps)
    {
        _path.RemoveRange(_position, _path.Count - _position);   // decisions of a longer earlier schedule that this one never reached
        while (_path.Count > 0)
        {
            var last = _path[^1];
            if (last.Index + 1 < last.Options.Length)
            {
                last.Index++;
                return;
            }
            _path.RemoveAt(_path.Count - 1);
        }
        IsExhausted = true;
    }
}

/// <summary>
/// How a bounded DFS orders the enabled threads at a decision and what each choice costs; costs are non-decreasing
/// along the order, so the search can cut the order where the budget ends.
/// </summary>
internal interface IScheduleBound
{
    /// <summary>Fills <paramref name="ordered"/> with <paramref name="enabled"/> in trial order and <paramref name="costs"/> with each one's cost.</summary>
    void Order(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int[] ordered, int[] costs);
}

/// <summary>CHESS preemption bounding: continuing the current thread is free, switching away from it while it could run costs one.</summary>
internal sealed class PreemptionBound : IScheduleBound
{
    public static readonly PreemptionBound Instance = new();

    public void Order(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int[] ordered, int[] costs)
    {
        if (!currentEnabled)
        {
            enabled.CopyTo(ordered);
            return;
        }
        ordered[0] = current;
        var i = 1;
        foreach (var t in enabled)
        {
            if (t == current) continue;
            costs[i] = 1;
            ordered[i++] = t;
        }
    }
}
