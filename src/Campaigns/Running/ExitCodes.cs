namespace HighMemConcurrency.Campaigns;

/// <summary>The process exit codes of <c>hmc</c>; CI scripts branch on them, so they never change meaning.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and nothing was found (the self-check: every variant was found).</summary>
    public const int Clean = 0;

    /// <summary>A bug was found (the self-check: a variant was not found, or found as the wrong kind).</summary>
    public const int BugFound = 1;

    /// <summary>Bad usage or input: an unknown option or name, a malformed, truncated or divergent trace.</summary>
    public const int BadInput = 2;

    /// <summary>The tool itself failed.</summary>
    public const int InternalError = 3;

    /// <summary>
    /// Ctrl+C (or another cancel) stopped the run before it finished and nothing was found: what ran is reported and
    /// written, but a run that did not finish is never "clean". 128 + SIGINT, as shells report an interrupted command.
    /// </summary>
    public const int Canceled = 130;
}
