namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>One executed scheduling step of an iteration.</summary>
/// <param name="Step">1-based step number.</param>
/// <param name="ThreadId">Stable creation index of the thread that ran (0 is the test body).</param>
/// <param name="ThreadName">The thread's name.</param>
/// <param name="Operation">The operation it performed, e.g. <c>Enter</c>, <c>Add(+1) = 3</c>.</param>
/// <param name="Target">The object it acted on, e.g. <c>lock 'kmap_lock'</c>; null for none.</param>
/// <param name="Notes">What the model under test said about this step (<see cref="Sim.Note"/>).</param>
public sealed record StepRecord(int Step, int ThreadId, string ThreadName, string Operation, string? Target,
    IReadOnlyList<string> Notes);
