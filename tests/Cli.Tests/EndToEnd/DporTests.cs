using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// The built <c>hmc test --strategy dpor</c> proves the README's configuration (2 CPUs, one task each, 2 pkmap slots,
/// 3 pages, one kmap per task) free of bugs, and finds a variant there, exactly as the README's command lines say.
/// </summary>
public sealed class DporTests : IDisposable
{
    private static readonly string[] Configuration =
        ["--strategy", "dpor", "--cpus", "2", "--tasks-per-cpu", "1", "--last-pkmap", "2", "--pages", "3", "--ops-per-task", "1", "--iterations", "100000"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_readme_command_verifies_shared_page_over_every_interleaving()
    {
        var result = await HmcProcess.Run(_dir.Path, ["test", "--scenario", "shared-page", .. Configuration, "--seed", "1", "--json"]);

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var job = Assert.Single(doc.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal("verified: no bug in any of 812 interleavings (1580 schedules)", job.GetProperty("result").GetString());
        Assert.Equal("Exhausted", job.GetProperty("stop").GetString());
        Assert.Contains("shared-page (dpor): verified: no bug in any of 812 interleavings", result.Error);
    }

    [Fact]
    public async Task The_readme_command_finds_wake_on_zero_in_slot_hog()
    {
        var result = await HmcProcess.Run(_dir.Path, ["test", "--variant", "wake-on-zero", "--scenario", "slot-hog", .. Configuration, "--seed", "1", "--json"]);

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var bug = Assert.Single(doc.RootElement.GetProperty("jobs").EnumerateArray()).GetProperty("bug");
        Assert.Equal(("Deadlock", 188), (bug.GetProperty("kind").GetString(), bug.GetProperty("iterationsToBug").GetInt32()));
        Assert.Contains("lost wakeup", bug.GetProperty("message").GetString());
    }
}
