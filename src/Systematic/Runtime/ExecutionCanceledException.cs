namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// Thrown inside controlled threads to unwind them once their execution is over (a bug was found, or the run was
/// abandoned). Test code must not catch it; if it does, the next primitive it calls throws it again.
/// </summary>
public sealed class ExecutionCanceledException : Exception
{
    internal ExecutionCanceledException() : base("the controlled execution was canceled; do not catch this exception") { }
}
