using HighMemConcurrency.HighMem.Variants;
using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>The built <c>hmc</c> with <c>--engine coyote</c>: the same self-check, the same replay, the same errors.</summary>
public sealed class CoyoteEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_self_check_under_Coyote_finds_every_variant_and_each_trace_replays_without_naming_the_engine()
    {
        var result = await HmcProcess.Run(_dir.Path, "test", "--engine", "coyote", "--variant", "all", "--iterations", "1000", "--seed", "1", "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var checks = doc.RootElement.GetProperty("selfCheck").EnumerateArray().ToList();
        // Coyote runs sequential consistency only: the hardware's variants (found under tso) are left out, and said to be.
        Assert.Equal(HighMem.Variants.VariantRegistry.All.Where(v => v.MemoryModel == Systematic.MemoryModel.Sc).Select(v => v.Name),
            checks.Select(c => c.GetProperty("variant").GetString()));
        Assert.Contains($"not self-checked on coyote: {string.Join(", ", HighMem.Variants.OrderingVariants.All.Select(v => v.Name))} (found only under a memory model it does not run)",
            result.Error);
        Assert.All(checks, c => Assert.True(c.GetProperty("found").GetBoolean(), c.ToString()));
        var trace = checks.First(c => c.GetProperty("foundKind").GetString() == "Deadlock").GetProperty("trace").GetString()!;
        Assert.Contains("\"engine\": \"coyote\"", File.ReadAllText(trace));

        var replay = await HmcProcess.Run(_dir.Path, "replay", trace);
        Assert.True(replay.ExitCode == ExitCodes.BugFound, replay.ToString());
        Assert.Contains("as recorded", replay.Out + replay.Error);
    }

    [Fact]
    public async Task The_correct_model_is_clean_under_Coyote()
    {
        var result = await HmcProcess.Run(_dir.Path, "test", "--engine", "coyote", "--scenario", "distinct-pages", "--iterations", "100", "--seed", "2");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.Contains("clean (budget)", result.Out);
    }

    [Fact]
    public async Task A_strategy_Coyote_lacks_is_a_usage_error_naming_its_strategies()
    {
        var result = await HmcProcess.Run(_dir.Path, "test", "--engine", "coyote", "--strategy", "dfs");

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("unknown coyote strategy 'dfs' (valid: random, pct, pct-fair, probabilistic, delay-bounding, qlearning, portfolio)", result.Error);
    }
}
