namespace HighMemConcurrency.Systematic.Control;

/// <summary>The wait of a <see cref="Sim.WaitUntil"/>: the user's predicate, evaluated under its runtime's guard.</summary>
internal sealed class PredicateWait(Func<bool> predicate, string description) : IWaitCondition
{
    public string Description => description;

    public bool CanProceed(RuntimeThread waiter)
    {
        if (waiter.Buffer is null) return waiter.Runtime.EvaluatePredicate(predicate);   // sc: every view is memory
        // The condition is the waiter's: under TSO its Peeks see the waiter's buffered stores, not the evaluating thread's.
        var previous = RuntimeThread.SetViewer(waiter);
        try
        {
            return waiter.Runtime.EvaluatePredicate(predicate);
        }
        finally
        {
            RuntimeThread.SetViewer(previous);
        }
    }

    public string DescribeWait(RuntimeThread waiter) => $"waits until {description}";
}
