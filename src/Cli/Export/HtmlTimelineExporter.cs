using System.Reflection;
using System.Text.Json;

namespace HighMemConcurrency.Cli.Export;

/// <summary>
/// Writes a <see cref="Timeline"/> as one self-contained HTML page: the page (timeline.html, embedded in this
/// assembly) carries its own style and script and the timeline as JSON, and loads nothing from the network.
/// </summary>
internal static class HtmlTimelineExporter
{
    private const string Placeholder = "/*TIMELINE_JSON*/";

    // The default encoder escapes '<', '>' and '&', so no note can close the <script> element the data sits in.
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Export(Timeline timeline) =>
        Template().Replace(Placeholder, JsonSerializer.Serialize(timeline, Json), StringComparison.Ordinal);

    private static string Template()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("HighMemConcurrency.Cli.Export.timeline.html")
            ?? throw new InvalidOperationException("timeline.html is not embedded in the CLI assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
