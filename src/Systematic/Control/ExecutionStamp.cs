namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The one per-execution reset of a primitive's controlled state. Primitives outlive iterations (a model built once,
/// explored many times), so each keeps the id of the execution its state belongs to and starts afresh when a new
/// one touches it.
/// </summary>
internal struct ExecutionStamp
{
    private long _executionId;

    /// <summary>True the first time <paramref name="runtime"/> touches the owner: the caller resets its state.</summary>
    public bool Renew(IControlledRuntime runtime)
    {
        if (_executionId == runtime.Id) return false;
        _executionId = runtime.Id;
        return true;
    }

    /// <summary>Whether the owner's state belongs to <paramref name="runtime"/>.</summary>
    public readonly bool IsCurrent(IControlledRuntime runtime) => _executionId == runtime.Id;
}
