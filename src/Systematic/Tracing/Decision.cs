namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>The kind of a recorded scheduling decision.</summary>
public enum DecisionKind : byte
{
    /// <summary>Which thread ran at a scheduling point.</summary>
    Thread,

    /// <summary>A controlled nondeterministic value (<see cref="Sim.Choose"/>, which waiter a signal wakes...).</summary>
    Choice,
}

/// <summary>One decision of a schedule: the thread that ran, or a chosen value.</summary>
/// <param name="Kind">Thread or value.</param>
/// <param name="Value">The thread id or the value.</param>
public readonly record struct Decision(DecisionKind Kind, int Value)
{
    /// <summary>Short text form used in traces: <c>t3</c> for thread 3, <c>c1</c> for value 1.</summary>
    public override string ToString() => (Kind == DecisionKind.Thread ? "t" : "c") + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
