using System.Diagnostics;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Systematic;
using Xunit.Abstractions;

namespace HighMemConcurrency.Xunit.Tests;

/// <summary>
/// <see cref="CampaignAssert"/> in a test suite's own tests, on its own catalog (<see cref="HandoffCatalog"/>): the
/// correct handoff passes, the lost wakeup is found, and a bug where none was expected fails the test with the text a
/// person needs — kind, message, last steps, the trace file and a replay command that works when pasted.
/// </summary>
public sealed class CampaignAssertTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("hmc-xunit-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private XunitCampaignOptions Options(ITestOutputHelper? output = null) => new() { OutputDirectory = _out, Output = output };

    internal static readonly CampaignRequest Lost = new() { Variant = HandoffCatalog.CheckBeforePrepare, Iterations = 2000, Seed = 1 };

    [Fact]
    public void NoBug_passes_on_the_correct_handoff()
    {
        var result = CampaignAssert.NoBug(new HandoffCatalog(), new() { Scenario = "flag-handoff", Iterations = 300, Seed = 2 }, Options());

        Assert.Equal(300, Assert.Single(result.Jobs).Iterations);
    }

    [Fact]
    public void FindsBug_finds_the_lost_wakeup_as_the_deadlock_it_is_declared()
    {
        var job = CampaignAssert.FindsBug(new HandoffCatalog(), Lost, Options());

        Assert.Equal(BugKind.Deadlock, job.Bug!.Kind);
        Assert.True(File.Exists(job.TracePath));
    }

    [Fact]
    public void The_self_check_of_the_suites_catalog_passes()
    {
        var result = CampaignAssert.NoBug(new HandoffCatalog(), new() { Variant = "all", Iterations = 2000, Seed = 1 }, Options());

        Assert.Equal("self-check passed", result.Outcome);
    }

    [Fact]
    public void A_bug_fails_NoBug_with_its_kind_message_last_steps_trace_and_replay_command_in_the_text_and_the_output()
    {
        var output = new Lines();
        var e = Assert.Throws<CampaignFailedException>(() => CampaignAssert.NoBug(new HandoffCatalog(), Lost, Options(output)));

        var lines = e.Message.Split('\n');
        Assert.StartsWith("the campaign found a bug: hmc bug found: flag-handoff + check-before-prepare (pct): found Deadlock", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Deadlock in flag-handoff + check-before-prepare, iteration ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("last ", StringComparison.Ordinal) && l.EndsWith(" steps:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" producer ", StringComparison.Ordinal));
        var trace = lines.Single(l => l.StartsWith("trace:  ", StringComparison.Ordinal))["trace:  ".Length..];
        Assert.True(File.Exists(trace), trace);
        var suite = typeof(HandoffCatalog).Assembly.Location;
        Assert.Equal($"replay: hmc replay --load {suite} {trace}", lines.Single(l => l.StartsWith("replay: ", StringComparison.Ordinal)));
        Assert.Contains(e.Message, output.Text);
    }

    [Fact]
    public async Task The_printed_replay_command_reproduces_the_bug_when_pasted()
    {
        var e = Assert.Throws<CampaignFailedException>(() => CampaignAssert.NoBug(new HandoffCatalog(), Lost, Options()));
        var command = e.Message.Split('\n').Single(l => l.StartsWith("replay: hmc ", StringComparison.Ordinal))["replay: hmc ".Length..];

        var (exit, stdout, stderr) = await Hmc(command.Split(' '));

        Assert.True(exit == ExitCodes.BugFound, $"exit {exit}\n{stdout}\n{stderr}");
        Assert.Contains("Reproduced Deadlock", stdout);
    }

    [Fact]
    public void FindsBug_on_the_correct_handoff_fails_saying_nothing_was_found()
    {
        var e = Assert.Throws<CampaignFailedException>(() =>
            CampaignAssert.FindsBug(new HandoffCatalog(), new() { Scenario = "flag-handoff", Iterations = 200, Seed = 3 }, Options()));

        Assert.StartsWith("the campaign found no bug of the kind expected: hmc clean: flag-handoff (portfolio): clean (budget)", e.Message);
    }

    /// <summary>Runs the hmc built beside the tests, as a pasted command would; a run past two minutes fails the test.</summary>
    private static async Task<(int Exit, string Out, string Error)> Hmc(string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "HighMemConcurrency.Cli.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hmc {string.Join(' ', args)} still ran after two minutes:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A test output that keeps what was written.</summary>
    private sealed class Lines : ITestOutputHelper
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public void WriteLine(string message) => _text.Append(message).Append('\n');

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}
