using HighMemConcurrency.HighMem.Variants;
using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>The built <c>hmc test</c> on the real model: the correct model is clean; the self-check finds every variant.</summary>
public sealed class TestJobTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task One_scenario_on_the_correct_model_is_clean_and_writes_a_summary_under_hmc_out()
    {
        var scenario = ModelCatalog.Scenario("distinct-pages").Name;
        var result = await HmcProcess.Run(_dir.Path, "test", "--scenario", scenario, "--iterations", "40", "--seed", "1");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        Assert.Contains(scenario, result.Out);
        Assert.Contains("clean (budget)", result.Out);
        var summary = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-test.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        var job = Assert.Single(doc.RootElement.GetProperty("jobs").EnumerateArray());
        Assert.Equal((scenario, 40), (job.GetProperty("scenario").GetString(), job.GetProperty("iterations").GetInt32()));
        Assert.Equal(JsonValueKind.Null, job.GetProperty("bug").ValueKind);
    }

    [Fact]
    public async Task The_self_check_finds_every_variant_as_its_documented_kind()
    {
        var result = await HmcProcess.Run(_dir.Path, "test", "--variant", "all", "--iterations", "2000", "--seed", "1", "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        using var doc = JsonDocument.Parse(result.Out);
        var checks = doc.RootElement.GetProperty("selfCheck").EnumerateArray().ToList();
        Assert.Equal(HighMem.Variants.VariantRegistry.All.Select(v => v.Name), checks.Select(c => c.GetProperty("variant").GetString()));
        Assert.All(checks, c =>
        {
            Assert.True(c.GetProperty("found").GetBoolean(), c.ToString());
            Assert.Equal(c.GetProperty("expectedKind").GetString(), c.GetProperty("foundKind").GetString());
            Assert.True(File.Exists(c.GetProperty("trace").GetString()), c.ToString());
        });
        // The progress counter counts the jobs it shows: 1, 2, 3 … and the last one shown is k of k.
        var started = System.Text.RegularExpressions.Regex.Matches(result.Error, @"(?m)^\[(\d+)/(\d+)\] .*: started")
            .Select(m => (Index: int.Parse(m.Groups[1].Value), Count: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal(Enumerable.Range(1, started.Count), started.Select(s => s.Index));
        Assert.Equal(started.Count, started[^1].Count);
        Assert.All(started, s => Assert.True(s.Count >= s.Index, $"[{s.Index}/{s.Count}]"));
    }
}
