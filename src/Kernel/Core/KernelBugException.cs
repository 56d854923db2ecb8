namespace HighMemConcurrency.Kernel;

/// <summary>
/// A kernel <c>BUG()</c>: the model reached a state the kernel itself refuses to continue from. Under a systematic
/// test it surfaces as <c>BugKind.UnhandledException</c> with the kernel's wording.
/// </summary>
public sealed class KernelBugException(string message) : Exception(message);

/// <summary>
/// Thrown inside a native run after the machine was aborted (watchdog or a failed task), so that threads spinning
/// or sleeping in the model unwind instead of running forever.
/// </summary>
public sealed class MachineAbortedException(string reason) : Exception($"machine aborted: {reason}");
