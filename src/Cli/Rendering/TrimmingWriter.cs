using System.Text;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>
/// Drops the spaces Spectre pads table rows with at the end of each line, so redirected output (logs, files,
/// the tour) diffs and greps cleanly. Only runs of spaces are held back, until it is known whether a line break or
/// text follows them, so nothing else is ever delayed.
/// </summary>
internal sealed class TrimmingWriter(TextWriter inner) : TextWriter
{
    private int _pendingSpaces;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _pendingSpaces++;
                return;
            case '\n' or '\r':
                _pendingSpaces = 0;
                break;
            default:
                if (_pendingSpaces > 0) inner.Write(new string(' ', _pendingSpaces));
                _pendingSpaces = 0;
                break;
        }
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (var c in value) Write(c);
    }

    public override void Flush() => inner.Flush();
}
