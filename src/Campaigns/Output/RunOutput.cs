namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The files of one run under <c>--out</c>. Traces are written the moment a bug is found, so an interrupted or
/// failing run still leaves every finding on disk.
/// </summary>
public sealed class RunOutput
{
    private int _traces;

    private RunOutput(string directory, string stamp)
    {
        Directory = directory;
        Stamp = stamp;
    }

    /// <summary>The output directory (full path).</summary>
    public string Directory { get; }

    /// <summary>The run stamp that prefixes every file name.</summary>
    public string Stamp { get; }

    /// <summary>
    /// Creates the directory (so a bad <c>--out</c> fails before any work) and picks a stamp no earlier run in it used.
    /// </summary>
    public static RunOutput Open(string directory, DateTimeOffset now)
    {
        string full;
        try
        {
            full = Path.GetFullPath(directory);
            System.IO.Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CampaignException($"cannot use output directory '{directory}': {e.Message}");
        }
        // Two runs in the same millisecond (parallel CI jobs) must not overwrite each other.
        var stamp = TraceFileNamer.RunStamp(now);
        while (System.IO.Directory.EnumerateFiles(full, stamp + "_*").Any())
        {
            now = now.AddMilliseconds(1);
            stamp = TraceFileNamer.RunStamp(now);
        }
        return new RunOutput(full, stamp);
    }

    /// <summary>The next number of a trace among those written one job at a time (1, 2, ...).</summary>
    public int NextTraceNumber() => Interlocked.Increment(ref _traces);

    /// <summary>Writes a trace named by <paramref name="name"/> from the run stamp; returns its full path.</summary>
    public string WriteTrace(string traceJson, Func<string, string> name)
    {
        var path = Path.Combine(Directory, name(Stamp));
        File.WriteAllText(path, traceJson);
        return path;
    }

    /// <summary>Writes the run's JSON summary; returns its full path.</summary>
    public string WriteSummary(string command, string json)
    {
        var path = Path.Combine(Directory, TraceFileNamer.SummaryName(Stamp, command));
        File.WriteAllText(path, json);
        return path;
    }
}
