namespace HighMemConcurrency.Systematic.Control;

/// <summary>The wait of a <see cref="Sim.WaitUntil"/>: the user's predicate, evaluated under its runtime's guard.</summary>
internal sealed class PredicateWait(Func<bool> predicate, string description) : IWaitCondition
{
    public string Description => description;

    public bool CanProceed(RuntimeThread waiter) => waiter.Runtime.EvaluatePredicate(predicate);

    public string DescribeWait(RuntimeThread waiter) => $"waits until {description}";
}
