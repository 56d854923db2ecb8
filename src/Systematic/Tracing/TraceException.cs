namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>A trace that cannot be replayed: base of the format and divergence errors.</summary>
public abstract class TraceException : Exception
{
    /// <summary>Creates the exception with a one-line reason.</summary>
    protected TraceException(string message) : base(message) { }
}

/// <summary>A trace that is not a well-formed <c>hmc-trace/1</c> document; the message names the field.</summary>
public sealed class TraceFormatException : TraceException
{
    /// <summary>Creates the exception.</summary>
    public TraceFormatException(string field, string problem) : base($"trace field '{field}': {problem}") => Field = field;

    /// <summary>The JSON field (path) that is wrong.</summary>
    public string Field { get; }
}

/// <summary>A replay whose execution no longer matches the recorded decisions; the message names the step.</summary>
public sealed class TraceDivergenceException : TraceException
{
    /// <summary>Creates the exception.</summary>
    public TraceDivergenceException(int step, string problem) : base($"trace diverged at step {step}: {problem}") => Step = step;

    /// <summary>The 1-based step at which the replay diverged.</summary>
    public int Step { get; }
}
