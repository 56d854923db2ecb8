using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic.Strategies;

/// <summary>
/// Follows a recorded schedule decision by decision and fails loudly (<see cref="TraceDivergenceException"/>)
/// as soon as the execution offers something the trace did not record, rather than running something else.
/// </summary>
internal sealed class ReplayStrategy(IReadOnlyList<Decision> decisions) : IExplorationStrategy
{
    private int _position;

    public string Name => "replay";

    /// <summary>How many recorded decisions the execution consumed.</summary>
    public int Consumed => _position;

    /// <summary>Thread decisions that switched away from a thread that could have gone on (as DFS counts them).</summary>
    public int Preemptions => PreemptionPoints.Count;

    /// <summary>The indices, among the thread decisions, of the preempting ones.</summary>
    public List<int> PreemptionPoints { get; } = [];

    private int _threadDecisions;
    private bool _ran;

    // One iteration, under whatever number the options gave it (the trace's own reproduces its trace exactly).
    public bool InitializeIteration(int iteration)
    {
        _position = 0;
        PreemptionPoints.Clear();
        _threadDecisions = 0;
        if (_ran) return false;
        _ran = true;
        return true;
    }

    public void OnThreadCreated(int threadId) { }

    public int NextThread(ReadOnlySpan<int> enabled, int current, bool currentEnabled, bool currentYields, int step)
    {
        var d = Take(step, "a thread decision");
        if (d.Kind != DecisionKind.Thread)
            throw new TraceDivergenceException(step, $"the trace recorded value choice {d} but the execution is choosing a thread among [{Describe(enabled)}]");
        if (!enabled.Contains(d.Value))
            throw new TraceDivergenceException(step, $"the trace runs thread T{d.Value} but the enabled threads are [{Describe(enabled)}]");
        if (currentEnabled && d.Value != current) PreemptionPoints.Add(_threadDecisions);
        _threadDecisions++;
        return d.Value;
    }

    public int NextChoice(int count, int step)
    {
        var d = Take(step, $"a value in [0, {count})");
        if (d.Kind != DecisionKind.Choice)
            throw new TraceDivergenceException(step, $"the trace recorded thread decision {d} but the execution is choosing a value in [0, {count})");
        if (d.Value >= count)
            throw new TraceDivergenceException(step, $"the trace chose value {d.Value} but only [0, {count}) is possible");
        return d.Value;
    }

    public void CompleteIteration(int steps) { }

    private Decision Take(int step, string wanted)
    {
        if (_position >= decisions.Count)
            throw new TraceDivergenceException(step, $"the trace ended after {decisions.Count} decisions but the execution needs {wanted}");
        return decisions[_position++];
    }

    private static string Describe(ReadOnlySpan<int> enabled)
    {
        var parts = new string[enabled.Length];
        for (var i = 0; i < enabled.Length; i++) parts[i] = "T" + enabled[i];
        return string.Join(", ", parts);
    }
}
