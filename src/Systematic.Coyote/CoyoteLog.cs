using Microsoft.Coyote.Logging;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// Keeps Coyote's own output off the console and remembers the one line a replay needs: Coyote says a trace does
/// not reproduce only in its log ("The trace … is not reproducible at execution step 'N': …").
/// </summary>
internal sealed class CoyoteLog : ILogger
{
    private const string NotReproducible = "is not reproducible at execution step";

    /// <summary>The first line of Coyote's replay-divergence message, or null.</summary>
    public string? Divergence { get; private set; }

    public void Write(string value) => See(value);
    public void Write(string format, object arg0) => See(format, arg0);
    public void Write(string format, object arg0, object arg1) => See(format, arg0, arg1);
    public void Write(string format, object arg0, object arg1, object arg2) => See(format, arg0, arg1, arg2);
    public void Write(string format, params object[] args) => See(format, args);
    public void Write(LogSeverity severity, string value) => See(value);
    public void Write(LogSeverity severity, string format, object arg0) => See(format, arg0);
    public void Write(LogSeverity severity, string format, object arg0, object arg1) => See(format, arg0, arg1);
    public void Write(LogSeverity severity, string format, object arg0, object arg1, object arg2) => See(format, arg0, arg1, arg2);
    public void Write(LogSeverity severity, string format, params object[] args) => See(format, args);
    public void WriteLine(string value) => See(value);
    public void WriteLine(string format, object arg0) => See(format, arg0);
    public void WriteLine(string format, object arg0, object arg1) => See(format, arg0, arg1);
    public void WriteLine(string format, object arg0, object arg1, object arg2) => See(format, arg0, arg1, arg2);
    public void WriteLine(string format, params object[] args) => See(format, args);
    public void WriteLine(LogSeverity severity, string value) => See(value);
    public void WriteLine(LogSeverity severity, string format, object arg0) => See(format, arg0);
    public void WriteLine(LogSeverity severity, string format, object arg0, object arg1) => See(format, arg0, arg1);
    public void WriteLine(LogSeverity severity, string format, object arg0, object arg1, object arg2) => See(format, arg0, arg1, arg2);
    public void WriteLine(LogSeverity severity, string format, params object[] args) => See(format, args);

    public void Dispose() { }

    private void See(string format, params object[] args)
    {
        // Stryker disable once Equality : Coyote writes the line once
        if (Divergence is not null || !format.Contains(NotReproducible, StringComparison.Ordinal) &&
            !args.Any(a => a is string s && s.Contains(NotReproducible, StringComparison.Ordinal))) return;
        var text = args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
        var start = text.IndexOf("The trace", StringComparison.Ordinal);
        text = start >= 0 ? text[start..] : text;
        Divergence = text.Split('\n')[0].Trim();
    }
}
