using HighMemConcurrency.Systematic.Strategies;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Minimizing;

/// <summary>
/// Re-runs a recorded schedule with one preemption taken out: at thread decision <c>removed</c> the running thread
/// goes on instead of being preempted — until it blocks or finishes (<c>wholeRun</c>), or for as many steps as its
/// next recorded run of steps (its next block moves forward); every other decision takes the
/// first thread, in the recorded order of the steps not yet run, that can run. Each step's value choices are the
/// ones the same step (same thread, same step count of that thread) recorded, so the schedule keeps its meaning as
/// far as the program lets it.
/// </summary>
internal sealed class GuidedStrategy : IExplorationStrategy
{
    // Invariant: _remaining holds, in recorded order, the thread of every recorded step not yet matched by a step of
    // this run; _local[t] counts the steps t ran in this run; _choices maps (thread, its step number) to the values
    // that recorded step chose, consumed through _choiceCursor.
    private readonly List<int> _remaining = [];
    private readonly Dictionary<(int Thread, int Step), List<int>> _choices = [];
    private readonly Dictionary<int, int> _local = [];
    private readonly int _removed;
    private int _decisions;
    private int _continue = -1;
    private (int Thread, int Step) _step;
    private int _choiceCursor;

    private readonly bool _wholeRun;
    private int _continueFor;

    public GuidedStrategy(IReadOnlyList<Decision> recorded, int removed, bool wholeRun)
    {
        _removed = removed;
        _wholeRun = wholeRun;
        var local = new Dictionary<int, int>();
        (int, int) step = (-1, 0);
        foreach (var d in recorded)
        {
            if (d.Kind == DecisionKind.Thread)
            {
                _remaining.Add(d.Value);
                step = (d.Value, local[d.Value] = local.GetValueOrDefault(d.Value) + 1);
            }
            else
            {
                if (!_choices.TryGetValue(step, out var values)) _choices[step] = values = [];
                values.Add(d.Value);
            }
        }
    }

    public string Name => "guided";

    public bool InitializeIteration(int iteration) => iteration == 1;

    public void OnThreadCreated(int threadId) { }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        if (_decisions++ == _removed && currentEnabled)
        {
            _continue = current;
            _continueFor = _wholeRun ? int.MaxValue : NextBlockLength(current);
        }
        var chosen = -1;
        if (_continue >= 0 && _continueFor-- > 0 && enabled.Contains(_continue)) chosen = _continue;
        else _continue = -1;
        var at = -1;
        if (chosen < 0)
        {
            for (var i = 0; i < _remaining.Count && chosen < 0; i++)
                if (enabled.Contains(_remaining[i])) (chosen, at) = (_remaining[i], i);
            if (chosen < 0) chosen = currentEnabled ? current : enabled[0];
        }
        else at = _remaining.IndexOf(chosen);
        if (at >= 0) _remaining.RemoveAt(at);
        _step = (chosen, _local[chosen] = _local.GetValueOrDefault(chosen) + 1);
        _choiceCursor = 0;
        return chosen;
    }

    private int NextBlockLength(int thread)
    {
        var start = _remaining.IndexOf(thread);
        if (start < 0) return 1;
        var end = start;
        while (end < _remaining.Count && _remaining[end] == thread) end++;
        return end - start;
    }

    public int NextChoice(int count, int step)
    {
        var value = _choices.TryGetValue(_step, out var values) && _choiceCursor < values.Count ? values[_choiceCursor] : 0;
        _choiceCursor++;
        return value < count ? value : 0;
    }

    public void CompleteIteration(int steps) { }
}
