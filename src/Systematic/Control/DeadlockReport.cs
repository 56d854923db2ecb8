namespace HighMemConcurrency.Systematic.Control;

/// <summary>The text of a deadlock, the same under every engine: who waits for what, then the model's explanations.</summary>
internal static class DeadlockReport
{
    /// <param name="threads">Every thread of the iteration; finished ones are left out.</param>
    /// <param name="explainers">The model's explainers, in registration order.</param>
    /// <param name="invoke">Runs one explainer under the engine's guard (no primitives inside).</param>
    public static string Describe(IEnumerable<RuntimeThread> threads, IEnumerable<Func<string?>> explainers,
        Func<Func<string?>, string?> invoke)
    {
        var waits = threads.Where(t => !t.Finished).Select(t => $"{t.Label} {t.DescribeWait()}");
        var message = $"deadlock: no thread can run; {string.Join("; ", waits)}";
        foreach (var explain in explainers)
        {
            string? more;
            try
            {
                more = invoke(explain);
            }
            catch (Exception e)
            {
                more = $"(deadlock explainer threw {e.GetType().Name}: {e.Message})";
            }
            if (!string.IsNullOrEmpty(more)) message += " — " + more;
        }
        return message;
    }

    /// <summary>The step-bound message, the same under every engine.</summary>
    public static string DescribeLivelock(IEnumerable<RuntimeThread> threads, int maxSteps)
    {
        var running = threads.Where(t => !t.Finished).Select(t => $"{t.Label} (about to {t.PendingKind})");
        return $"livelock: the iteration exceeded {maxSteps} steps without finishing; unfinished threads: {string.Join(", ", running)}";
    }
}
