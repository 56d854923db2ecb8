using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.EndToEnd;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Browser;

/// <summary>
/// A real lost wakeup, found and exported by the built CLI: <c>hmc test --variant wake-on-zero --scenario few-slots</c>,
/// with <c>--junit</c>, then <c>hmc replay TRACE --export html … --export perfetto …</c>. Shared by the timeline and report tests.
/// </summary>
public sealed class TimelineRun : IAsyncLifetime
{
    internal TempDirectory Directory { get; } = new();

    internal ProcessResult Found { get; private set; } = null!;

    internal ProcessResult Replayed { get; private set; } = null!;

    public string HtmlPath => Path.Combine(Directory.Path, "timeline.html");

    public string JunitPath => Path.Combine(Directory.Path, "junit.xml");

    public string PerfettoPath => Path.Combine(Directory.Path, "timeline.perfetto.json");

    /// <summary>The trace's own header: what the model ran (read independently of the exporters).</summary>
    public JsonObject Trace { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Found = await HmcProcess.Run(Directory.Path, "test", "--variant", "wake-on-zero", "--scenario", "few-slots", "--seed", "1",
            "--junit", JunitPath);
        var trace = System.IO.Directory.GetFiles(Path.Combine(Directory.Path, "hmc-out"), "*.trace.json").Single();
        Trace = JsonNode.Parse(File.ReadAllText(trace))!.AsObject();
        Replayed = await HmcProcess.Run(Directory.Path, "replay", trace, "--export", "html", HtmlPath, "--export", "perfetto", PerfettoPath);
    }

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }
}
