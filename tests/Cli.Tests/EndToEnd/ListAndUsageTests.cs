using HighMemConcurrency.HighMem.Variants;
using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>The built <c>hmc</c> as a process: <c>list</c>, help and bad usage.</summary>
public sealed class ListAndUsageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task List_prints_every_scenario_and_variant_of_the_model()
    {
        var result = await HmcProcess.Run(_dir.Path, "list");
        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.All(Catalog.Scenarios, s => Assert.Contains(s.Name, result.Out));
        Assert.All(VariantRegistry.All, v => Assert.Contains(v.Name, result.Out));
        Assert.Contains("distinct-pages", result.Out);
    }

    [Fact]
    public async Task List_json_names_the_same_scenarios_and_variants_as_the_catalog()
    {
        var result = await HmcProcess.Run(_dir.Path, "list", "--json");
        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(Catalog.Scenarios.Select(s => s.Name), doc.RootElement.GetProperty("scenarios").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(VariantRegistry.All.Select(v => v.Name), doc.RootElement.GetProperty("variants").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_unknown_scenario_is_one_line_with_the_valid_names_and_exit_2()
    {
        var result = await HmcProcess.Run(_dir.Path, "test", "--scenario", "no-such-scenario");
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.Contains("unknown scenario 'no-such-scenario'", line);
        Assert.All(Catalog.Scenarios, s => Assert.Contains(s.Name, line));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "hmc-out")), "bad usage must not start a run");
    }

    [Fact]
    public async Task Help_names_the_tool_hmc()
    {
        var result = await HmcProcess.Run(_dir.Path, "replay", "--help");
        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.Contains("hmc replay <TRACE> [options]", result.Out);
    }
}
