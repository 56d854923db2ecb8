using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// Ctrl+C in the middle of a clean <c>hmc stress</c> run is canceled (130) with the summary written, never an internal
/// error (the search phase: StressCommandTests, in process, where the signal's moment is exact).
/// </summary>
public sealed class StressInterruptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private JsonElement Summary()
    {
        var path = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-stress.json"));
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    [Fact]
    public async Task Ctrl_C_during_a_clean_stress_run_exits_130_with_the_summary_written()
    {
        var result = await HmcProcess.Run(_dir.Path, columns: null, interruptWhen: line => line.Contains(": started, up to", StringComparison.Ordinal),
            "stress", "--scenario", "distinct-pages", "--duration", "10m", "--seed", "1");

        Assert.True(result.ExitCode == ExitCodes.Canceled, result.ToString());
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        var summary = Summary();
        Assert.Equal((ExitCodes.Canceled, true), (summary.GetProperty("exitCode").GetInt32(), summary.GetProperty("canceled").GetBoolean()));
    }
}
