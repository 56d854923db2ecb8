using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// Ctrl+C at each phase of <c>hmc stress</c>, sent to the process as a user's terminal sends it: in the middle of a
/// clean run it is canceled (130) with the summary written; once a failure is seen — the watchdog dumping a hang, the
/// summary and HTML being written after the search — the failure stands (exit 1) with everything written; never an
/// internal error. (The search phase: StressCommandTests, in process, where the signal's moment is exact.) The hang is
/// wake-on-zero's lost wakeup on slot-hog, which free-running stress reaches within seconds (see
/// <see cref="StressTests"/>); the duration is a bound the hang cuts short.
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

    [Fact]
    public async Task Ctrl_C_while_the_watchdog_dumps_a_hang_keeps_the_hang_exit_1_with_the_summary_written()
    {
        var result = await HmcProcess.Run(_dir.Path, columns: null, interruptWhen: line => line.Contains(": watchdog fired at ", StringComparison.Ordinal),
            "stress", "--variant", "wake-on-zero", "--cpus", "2", "--duration", "60s", "--watchdog", "1s", "--reproduce-for", "10m", "--seed", "5");

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        Assert.Contains(": watchdog fired at ", result.Error);
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Contains("hung-task watchdog fired", result.Out);
        var summary = Summary();
        Assert.Equal((ExitCodes.BugFound, false), (summary.GetProperty("exitCode").GetInt32(), summary.GetProperty("clean").GetBoolean()));
        Assert.Matches("(completed no operation|no operation completed) for 1.0 s", summary.GetProperty("hangReport").GetString());
        // The signal came before or during the search; either way the search stopped at once, and the summary says how.
        var outcome = summary.GetProperty("reproduction").GetProperty("outcome").GetString();
        Assert.True(outcome is "Canceled" or "Reproduced", $"reproduction {outcome}\n{result}");
    }

    [Fact]
    public async Task Ctrl_C_as_the_summary_and_html_are_written_keeps_the_failure_exit_1_and_writes_both_whole()
    {
        var html = Path.Combine(_dir.Path, "stress.html");
        var result = await HmcProcess.Run(_dir.Path, columns: null, interruptWhen: line => line.Contains("found Deadlock after", StringComparison.Ordinal),
            "stress", "--variant", "wake-on-zero", "--cpus", "2", "--duration", "60s", "--watchdog", "1s", "--reproduce-for", "60s", "--seed", "5",
            "--html", html);

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        Assert.DoesNotContain("internal error", result.Error, StringComparison.Ordinal);
        Assert.Contains("reproduced under the systematic engine", result.Out);
        Assert.Contains("html: ", result.Out);
        Assert.EndsWith("</html>", File.ReadAllText(html).TrimEnd(), StringComparison.Ordinal);
        var summary = Summary();
        Assert.Equal(ExitCodes.BugFound, summary.GetProperty("exitCode").GetInt32());
        Assert.Equal("Reproduced", summary.GetProperty("reproduction").GetProperty("outcome").GetString());
    }
}
