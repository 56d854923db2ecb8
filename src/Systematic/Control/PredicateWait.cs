namespace HighMemConcurrency.Systematic.Control;

/// <summary>The wait of a <see cref="Sim.WaitUntil"/>: the user's predicate, evaluated under its runtime's guard.</summary>
internal sealed class PredicateWait(Func<bool> predicate, string description) : IWaitCondition
{
    public string Description => description;

    public bool CanProceed(RuntimeThread waiter)
    {
        if (waiter.Buffer is null && waiter.Views is null) return waiter.Runtime.EvaluatePredicate(predicate);   // sc: every view is memory
        // The condition is the waiter's: under TSO its Peeks see the waiter's buffered stores, not the evaluating
        // thread's; under Arm they are the waiter's loads, noted for when the wait proceeds.
        var previous = RuntimeThread.SetViewer(waiter);
        if (waiter.Views is { } views)
        {
            views.Peeked.Clear();
            views.Recording = true;
        }
        try
        {
            return waiter.Runtime.EvaluatePredicate(predicate);
        }
        finally
        {
            if (waiter.Views is { } done) done.Recording = false;
            RuntimeThread.SetViewer(previous);
        }
    }

    public string DescribeWait(RuntimeThread waiter) => $"waits until {description}";
}
