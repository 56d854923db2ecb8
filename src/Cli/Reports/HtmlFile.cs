using System.Text;

namespace HighMemConcurrency.Cli.Reports;

/// <summary>Writes a report page given by <c>--html FILE</c>: UTF-8 without a byte-order mark, its folder created.</summary>
internal static class HtmlFile
{
    /// <summary>Writes <paramref name="html"/> to <paramref name="path"/>; a path that cannot be written is a usage error.</summary>
    public static void Write(string path, string html)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            File.WriteAllText(path, html, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--html: cannot write '{path}': {e.Message}");
        }
    }
}
