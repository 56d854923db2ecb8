using System.Globalization;
using System.Text;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Names the files of one run so that a directory listing sorts them by run and then by finding order, and a name
/// says what the file is: <c>20261122-031500-123_001_shared-page_enqueue-after-unlock_deadlock_pct-s7-i37.trace.json</c>
/// and <c>20261122-031500-123_summary.json</c>.
/// </summary>
public static class TraceFileNamer
{
    /// <summary>File name suffix of traces.</summary>
    public const string TraceSuffix = ".trace.json";

    /// <summary>The run stamp: UTC time to the millisecond, fixed width so that it sorts as text.</summary>
    public static string RunStamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);

    /// <summary>
    /// The name of a run's trace; <paramref name="sequence"/> is the number (1-based) of the job that found it in the
    /// run's plan, so the name is the same whatever order parallel workers or shards found the bugs in.
    /// </summary>
    public static string TraceName(string stamp, int sequence, string scenario, string variant, BugKind kind,
        string strategy, ulong seed, int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"{stamp}_{sequence:000}_{Safe(scenario)}_{Safe(variant)}_{KindSlug(kind)}_{Safe(strategy)}-s{seed}-i{iteration}{TraceSuffix}");
    }

    /// <summary>The name of a run's JSON summary; after its traces in sort order ('s' follows the digits).</summary>
    public static string SummaryName(string stamp, string command) => $"{stamp}_summary-{Safe(command)}.json";

    /// <summary><c>UncontrolledConcurrency</c> → <c>uncontrolled-concurrency</c>.</summary>
    public static string KindSlug(BugKind kind)
    {
        var name = kind.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    // Names come from the catalog (kebab-case already); anything else would break paths or the '_' separators.
    private static string Safe(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? char.ToLowerInvariant(c) : '-');
        return sb.Length == 0 ? "unnamed" : sb.ToString();
    }

    /// <summary>
    /// The command line that replays the trace at <paramref name="tracePath"/> of <paramref name="scenario"/> (with
    /// <c>--load</c> and its assembly's path when it was loaded from one), paths quoted for a POSIX shell when they need it.
    /// </summary>
    public static string ReplayCommand(string tracePath, IScenario? scenario = null)
    {
        ArgumentNullException.ThrowIfNull(tracePath);
        var load = scenario is LoadedScenario loaded ? $"--load {Quoted(loaded.Path)} " : "";
        return $"hmc replay {load}{Quoted(tracePath)}";
    }

    private static string Quoted(string path) =>
        path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\')
            ? "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
            : path;
}
