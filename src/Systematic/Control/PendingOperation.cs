namespace HighMemConcurrency.Systematic.Control;

/// <summary>
/// A thread's announced operation: its kind, the primitive it acts on (null for spawn and yield; the description
/// string for custom points and WaitUntil) and its argument.
/// </summary>
internal readonly record struct PendingOperation(OperationKind Kind, object? Target, long Arg);
