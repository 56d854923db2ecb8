using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Kernel;

/// <summary>
/// WARN_ON / WARN_ONCE: the kernel notices a broken rule and carries on; the model reports it as a failed assertion
/// (prefixed <c>WARNING:</c>) so the run stops there with the schedule that led to it.
/// </summary>
public static class KernelWarning
{
    /// <summary>Reports the warning when <paramref name="condition"/> holds; returns the condition, like WARN_ON.</summary>
    public static bool WarnOn(bool condition, string message)
    {
        if (condition) Sim.Fail(BugKind.AssertionFailure, "WARNING: " + message);
        return condition;
    }
}
