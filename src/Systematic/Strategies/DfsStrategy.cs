namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Depth-first search over every schedule (CHESS, Musuvathi and Qadeer, PLDI 2007), optionally bounded by the
/// number of preemptions: switching away from a thread that could have continued. Each iteration replays the
/// prefix of the previous one up to its deepest decision with an untried alternative, takes that alternative,
/// and continues with the first option (the non-preempting one) at every new decision. When no alternative is
/// left the space is exhausted.
/// </summary>
internal sealed class DfsStrategy(int? preemptionBound) : IExplorationStrategy
{
    private sealed class Node(bool isChoice, int[] options, int current, bool currentEnabled, int preemptionsBefore)
    {
        public readonly bool IsChoice = isChoice;
        public readonly int[] Options = options;
        public int Index;

        public int Chosen => Options[Index];

        public int PreemptionsAfter =>
            preemptionsBefore + (!IsChoice && currentEnabled && Chosen != current ? 1 : 0);
    }

    // Invariant: _path is the decision sequence of the next schedule to run; [0, _position) has been replayed
    // in the current iteration. Every node's Index points at an option not yet fully explored.
    private readonly List<Node> _path = [];
    private int _position;

    public string Name => "dfs";

    /// <summary>True once every schedule within the bound has been run.</summary>
    public bool IsExhausted { get; private set; }

    public bool InitializeIteration(int iteration)
    {
        _position = 0;
        return !IsExhausted;
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

        var preemptions = _position == 0 ? 0 : _path[_position - 1].PreemptionsAfter;
        int[] options;
        if (!currentEnabled)
        {
            options = enabled.ToArray();
        }
        else if (preemptionBound is { } bound && preemptions >= bound)
        {
            options = [current];
        }
        else
        {
            options = new int[enabled.Length];
            options[0] = current;
            var i = 1;
            foreach (var t in enabled) if (t != current) options[i++] = t;
        }
        var node = new Node(false, options, current, currentEnabled, preemptions);
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
        var preemptions = _position == 0 ? 0 : _path[_position - 1].PreemptionsAfter;
        var options = new int[count];
        for (var i = 0; i < count; i++) options[i] = i;
        var node = new Node(true, options, -1, false, preemptions);
        _path.Add(node);
        _position++;
        return 0;
    }

    public void CompleteIteration(int steps)
    {
        if (_position < _path.Count) _path.RemoveRange(_position, _path.Count - _position);
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
