using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>The built <c>hmc compare</c> on the model: a variant both engines find at once, and Ctrl+C part-way.</summary>
public sealed class CompareTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_variant_both_engines_find_at_once_is_found_for_every_seed_on_both()
    {
        var variant = ModelCatalog.Variant("double-kunmap");
        var result = await HmcProcess.Run(_dir.Path, "compare", "--variant", variant.Name, "--seeds", "2", "--pairs", "pct",
            "--iterations", "200", "--time-limit", "1m", "--model-iterations", "0", "--json");

        Assert.True(result.ExitCode == ExitCodes.Clean, result.ToString());
        var row = Assert.Single(JsonDocument.Parse(result.Out).RootElement.GetProperty("variants").EnumerateArray());
        Assert.Equal(variant.Scenarios[0], row.GetProperty("scenario").GetString());
        foreach (var side in new[] { "ours", "coyote" })
        {
            Assert.Equal(2, row.GetProperty(side).GetProperty("found").GetInt32());
            Assert.All(row.GetProperty(side).GetProperty("runs").EnumerateArray(),
                r => Assert.Equal(variant.ExpectedKind.ToString(), r.GetProperty("bugKind").GetString()));
        }
    }

    [Fact]
    public async Task Ctrl_C_says_canceled_exits_130_and_prints_the_rows_done()
    {
        // The variant's row is quick; the correct model's rows cannot finish before the signal (a million clean
        // iterations, a minute per run).
        var result = await HmcProcess.Run(_dir.Path, columns: null, interruptWhen: line => line.StartsWith("[1/", StringComparison.Ordinal),
            "compare", "--variant", "double-kunmap", "--seeds", "1", "--pairs", "random",
            "--iterations", "1000", "--time-limit", "1m", "--model-iterations", "1000000");

        Assert.True(result.ExitCode == ExitCodes.Canceled, result.ToString());
        Assert.Contains("| double-kunmap | distinct-pages | random/random | 1/1 | 1/1 |", result.Out);
        Assert.Matches(@"(?m)^canceled: 1 of \d+ row\(s\)", result.Out);
        Assert.DoesNotContain("Correct model:", result.Out);
        var summary = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "hmc-out"), "*_summary-compare.json"));
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.True(doc.RootElement.GetProperty("canceled").GetBoolean());
        Assert.Equal(ExitCodes.Canceled, doc.RootElement.GetProperty("exitCode").GetInt32());
    }
}
