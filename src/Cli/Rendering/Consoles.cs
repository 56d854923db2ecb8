using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>Spectre consoles over the environment's writers.</summary>
internal static class Consoles
{
    /// <summary>
    /// Width used when the output is not a terminal and <c>COLUMNS</c> is not set: logs and pipes are read in
    /// editors and CI pages, so prose wraps as on a wide terminal. Trace paths and replay commands are written past
    /// the wrapping (<see cref="WriteRaw"/>) so that they can be pasted back whole.
    /// </summary>
    public const int RedirectedWidth = 120;

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, int? redirectedColumns = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
            // Terminals show padding as nothing; files and pipes would keep it, so it is trimmed there.
            Out = new AnsiConsoleOutput(isTerminal ? writer : new TrimmingWriter(writer)),
        });
        if (!isTerminal)
        {
            // Files, pipes and CI logs: no terminal width to respect, and they are UTF-8 (→, ≥ in kernel notes).
            console.Profile.Width = redirectedColumns ?? RedirectedWidth;
            console.Profile.Capabilities.Unicode = true;
        }
        return console;
    }

    public static IAnsiConsole Out(CliEnvironment env) => Create(env.Out, env.OutIsTerminal, env.RedirectedColumns);

    public static IAnsiConsole Error(CliEnvironment env) => Create(env.Error, env.ErrorIsTerminal, env.RedirectedColumns);

    /// <summary>A path relative to the working directory when it lies below it: shorter to read and to paste.</summary>
    public static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }


    /// <summary>
    /// Writes a line past Spectre's wrapping, for paths and commands: a file name folded over two lines could not be
    /// pasted back.
    /// </summary>
    public static void WriteRaw(IAnsiConsole console, string line)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(line);
        writer.Flush();
    }
}
