namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// The label of an unnamed primitive: its creation order within the iteration (<c>lock#2</c>), so that a report
/// reads the same in every process and on replay, which a hash code would not. An object created outside any
/// iteration is numbered when an iteration first touches it.
/// </summary>
internal struct ObjectLabel
{
    private long _executionId;
    private int _index;

    /// <summary>Numbers the object in the iteration running on the calling thread, if any (call from constructors).</summary>
    public void OnCreated()
    {
        if (RuntimeThread.Current is { } current) Assign(current.Runtime);
    }

    /// <summary>Numbers the object the first time <paramref name="runtime"/> touches it, unless it was created there.</summary>
    public void OnTouched(IControlledRuntime runtime)
    {
        if (_executionId != runtime.Id) Assign(runtime);
    }

    /// <summary><c>{kind}#{index}</c>, or <c>{kind}#?</c> for an object no iteration has touched.</summary>
    public readonly string Format(string kind) => _index == 0 ? $"{kind}#?" : $"{kind}#{_index}";

    private void Assign(IControlledRuntime runtime)
    {
        _executionId = runtime.Id;
        _index = runtime.NextObjectIndex();
    }
}
