using System.Text;

namespace HighMemConcurrency.Systematic.Tracing;

/// <summary>Renders steps as the one-line-per-step interleaving text of a bug report.</summary>
public static class InterleavingFormatter
{
    /// <summary>Formats the steps: step number, thread, operation, object, then the model's notes.</summary>
    public static string Format(IReadOnlyList<StepRecord> steps)
    {
        var threadWidth = 6;
        foreach (var s in steps) threadWidth = Math.Max(threadWidth, s.ThreadName.Length + 4);
        var sb = new StringBuilder();
        foreach (var s in steps)
        {
            sb.Append(s.Step.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(6)).Append("  ");
            sb.Append($"T{s.ThreadId} {s.ThreadName}".PadRight(threadWidth)).Append("  ");
            sb.Append(s.Operation);
            if (s.Target is not null) sb.Append(' ').Append(s.Target);
            foreach (var note in s.Notes) sb.Append("  | ").Append(note);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
