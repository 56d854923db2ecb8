using System.CommandLine;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// <c>--export FORMAT FILE</c> on <c>hmc replay</c>: <c>perfetto</c> (Chrome trace-event JSON for ui.perfetto.dev and
/// chrome://tracing) or <c>html</c> (a self-contained page). Given twice, it writes both.
/// </summary>
internal static class TimelineExport
{
    /// <summary>The formats <c>--export</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Formats = ["perfetto", "html"];

    /// <summary>One requested export.</summary>
    public sealed record Request(string Format, string Path);

    public static Option<string[]> Option() => new("--export")
    {
        Description = "Write the bug's timeline: `--export perfetto FILE` (Chrome trace-event JSON for ui.perfetto.dev or " +
                      "chrome://tracing) or `--export html FILE` (a self-contained page: lanes per CPU, task and lock, sleeps and spins as bars, the bug " +
                      "highlighted, notes on hover, arrow keys step through). Give it twice for both.",
        HelpName = "FORMAT FILE",
        Arity = new ArgumentArity(2, 4),
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Reads the option's values as (format, file) pairs; a bad format or an odd count is a usage error.</summary>
    public static IReadOnlyList<Request> Parse(string[]? values)
    {
        if (values is null || values.Length == 0) return [];
        if (values.Length % 2 != 0)
            throw new UsageException($"--export takes FORMAT FILE pairs, got {values.Length} value(s): {string.Join(" ", values)}");
        var requests = new List<Request>();
        for (var i = 0; i < values.Length; i += 2)
        {
            var format = values[i].ToLowerInvariant();
            if (!Formats.Contains(format))
                throw new UsageException($"--export: unknown format '{values[i]}' (valid: {string.Join(", ", Formats)})");
            requests.Add(new Request(format, values[i + 1]));
        }
        return requests;
    }

    /// <summary>Writes every request for <paramref name="bug"/>; returns one line per file written.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<Request> requests, string title, BugReport bug)
    {
        if (requests.Count == 0) return [];
        var timeline = TimelineBuilder.Build(title, bug.Kind.ToString(), bug.Message, bug.Steps);
        var written = new List<string>();
        foreach (var r in requests)
        {
            var text = r.Format == "html" ? HtmlTimelineExporter.Export(timeline) : PerfettoExporter.Export(timeline);
            try
            {
                var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(r.Path));
                if (dir is not null) Directory.CreateDirectory(dir);
                File.WriteAllText(r.Path, text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"--export {r.Format}: cannot write '{r.Path}': {e.Message}");
            }
            written.Add($"{r.Format}: {r.Path}");
        }
        return written;
    }
}
