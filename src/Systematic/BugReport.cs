using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Systematic;

/// <summary>A bug found by a systematic test, with the schedule that reproduces it.</summary>
public sealed class BugReport
{
    internal BugReport(BugKind kind, string message, int iteration, string traceJson, IReadOnlyList<StepRecord> steps)
    {
        Kind = kind;
        Message = message;
        Iteration = iteration;
        TraceJson = traceJson;
        Steps = steps;
    }

    /// <summary>The class of the bug.</summary>
    public BugKind Kind { get; }

    /// <summary>What went wrong, in words a person can act on.</summary>
    public string Message { get; }

    /// <summary>The 1-based iteration that found it.</summary>
    public int Iteration { get; }

    /// <summary>The schedule as an <c>hmc-trace/1</c> JSON document; <see cref="SystematicTest.Replay"/> re-runs it.</summary>
    public string TraceJson { get; }

    /// <summary>Every step of the failing iteration, in order.</summary>
    public IReadOnlyList<StepRecord> Steps { get; }

    /// <summary>One line per step: step number, thread, operation, object (and notes the model attached).</summary>
    public string Interleaving => InterleavingFormatter.Format(Steps);

    /// <inheritdoc />
    public override string ToString() => $"{Kind} (iteration {Iteration}): {Message}";
}
