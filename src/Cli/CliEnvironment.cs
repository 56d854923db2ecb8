using System.Globalization;

namespace HighMemConcurrency.Cli;

/// <summary>
/// Where the tool writes and what kind of terminal it talks to. Program uses the real console; unit tests pass
/// string writers so they can read what a command printed.
/// </summary>
/// <param name="Out">Results: tables, reports, JSON.</param>
/// <param name="Error">Errors and progress, so that redirected results stay clean.</param>
/// <param name="OutIsTerminal">True when <paramref name="Out"/> is a terminal (colours, its width).</param>
/// <param name="ErrorIsTerminal">True when <paramref name="Error"/> is a terminal: live progress instead of plain lines.</param>
/// <param name="Time">The clock for run stamps and elapsed times.</param>
internal sealed record CliEnvironment(TextWriter Out, TextWriter Error, bool OutIsTerminal, bool ErrorIsTerminal, TimeProvider Time)
{
    /// <summary>
    /// Width of redirected output when the user sets one (<c>COLUMNS</c>, e.g. to paste a narrower table); null for
    /// the wide default.
    /// </summary>
    public int? RedirectedColumns { get; init; }

    /// <summary>Reads an environment variable (a cluster scheduler's shard index); tests pass their own.</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The process's console.</summary>
    public static CliEnvironment FromConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected, !Console.IsErrorRedirected, TimeProvider.System)
        {
            RedirectedColumns = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var columns) && columns >= 40 ? columns : null,
        };

    /// <summary>Plain writers, no terminal: what tests and redirected runs see.</summary>
    public static CliEnvironment Redirected(TextWriter output, TextWriter error) =>
        new(output, error, false, false, TimeProvider.System);
}
