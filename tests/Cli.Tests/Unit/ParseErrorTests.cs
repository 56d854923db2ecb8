using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>Bad usage: exit 2 and exactly one line on stderr that says what is valid; nothing on stdout.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("unknown scenario 'nope' (valid: counter, counter-b, all)", "test", "--scenario", "nope")]
    [InlineData("unknown variant 'nope' (valid: split-add, unlocked, none, all)", "test", "--variant", "nope")]
    [InlineData("unknown strategy 'bfs' (valid: random, pct, pos, surw, dfs, delay-bounding, idb, dpor, portfolio, pct-fair, probabilistic, qlearning)", "test", "--strategy", "bfs")]
    [InlineData("unknown option '--bogus' (valid options: --scenario, --variant, --strategy, --engine, --memory-model, --iterations", "test", "--bogus")]
    [InlineData("--iterations expects an integer ≥ 1, got '0'", "test", "--iterations", "0")]
    [InlineData("--seed expects an unsigned 64-bit integer, got '-1'", "test", "--seed", "-1")]
    [InlineData("--time-limit expects a positive duration", "test", "--time-limit", "soon")]
    [InlineData("unknown scenario 'all' (valid: counter, counter-b)", "stress", "--scenario", "all")]
    [InlineData("--duration expects a positive duration", "stress", "--duration", "0")]
    [InlineData("unknown argument 'frobnicate' (valid commands: list, test, compare, merge, replay, minimize, stress)", "frobnicate")]
    [InlineData("a command is required (valid commands: list, test, compare, merge, replay, minimize, stress)")]
    [InlineData("Required argument missing for command: 'replay'", "replay")]
    public async Task Bad_usage_is_one_line_and_exit_2(string expected, params string[] args)
    {
        var result = await CliRun.Run(args);
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains(expected, line);
    }

    [Theory]
    [InlineData]
    [InlineData("list")]
    [InlineData("test")]
    [InlineData("replay")]
    [InlineData("stress")]
    public async Task Every_verb_has_help(params string[] verb)
    {
        var result = await CliRun.Run([.. verb, "--help"]);
        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.Contains("Usage:", result.Out);
        Assert.Contains(string.Join(' ', ["hmc", .. verb]), result.Out);
    }

    [Fact]
    public async Task Test_help_documents_the_portfolio_and_the_exit_codes()
    {
        var help = (await CliRun.Run("test", "--help")).Out;
        Assert.Contains("pct d=3 (seed S), pos (S+1), pct d=2 (S+2), random (S+3)", help);
        Assert.Contains("exit 0 clean, 1 bug found", help);
    }

    [Fact]
    public async Task An_output_directory_that_cannot_be_created_is_bad_input()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "a-file");
        await File.WriteAllTextAsync(file, "x");
        var result = await CliRun.Run("test", "--scenario", "counter", "--iterations", "1", "--out", Path.Combine(file, "sub"));
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.StartsWith("hmc: cannot use output directory", result.Error);
    }
}
