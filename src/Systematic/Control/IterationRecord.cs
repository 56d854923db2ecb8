namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// What an iteration keeps besides its schedule, the same under every engine: the first bug (later ones are
/// consequences), the model's deadlock explainers, the events it reached (<see cref="Sim.Cover"/>), the count of
/// unnamed objects, and the guard that keeps primitives out of code that must not schedule (WaitUntil conditions,
/// explainers).
/// </summary>
internal sealed class IterationRecord
{
    private static readonly string[] None = [];
    private readonly List<Func<string?>> _explainers = [];
    private HashSet<string>? _reached;
    private int _objects;
    private bool _inPureCode;

    public BugKind? BugKind { get; private set; }
    public string? BugMessage { get; private set; }

    /// <summary>Keeps the first bug of the iteration.</summary>
    public void RecordBug(BugKind kind, string message)
    {
        if (BugKind is not null) return;
        BugKind = kind;
        BugMessage = message;
    }

    public void AddDeadlockExplainer(Func<string?> explain) => _explainers.Add(explain);

    /// <summary>Records that the iteration reached <paramref name="eventName"/> (once per iteration, however often).</summary>
    public void Cover(string eventName) => (_reached ??= new HashSet<string>(StringComparer.Ordinal)).Add(eventName);

    /// <summary>The events the iteration reached, in no particular order.</summary>
    public IReadOnlyCollection<string> Reached => _reached ?? (IReadOnlyCollection<string>)None;

    /// <summary>The next creation index for an unnamed object (1, 2, …).</summary>
    public int NextObjectIndex() => ++_objects;

    /// <summary>Throws when a primitive is used inside a WaitUntil condition or a deadlock explainer.</summary>
    public void CheckNotInPureCode()
    {
        if (_inPureCode) throw new InvalidOperationException("engine primitives cannot be used inside a WaitUntil condition; read plain model state there");
    }

    /// <summary>Runs <paramref name="code"/>, which reads model state and must not schedule.</summary>
    public T RunPure<T>(Func<T> code)
    {
        _inPureCode = true;
        try
        {
            return code();
        }
        finally
        {
            _inPureCode = false;
        }
    }

    /// <summary>Who waits for what among <paramref name="threads"/>, then the model's explanations.</summary>
    public string DescribeDeadlock(IEnumerable<RuntimeThread> threads) => DeadlockReport.Describe(threads, _explainers, RunPure);
}
