using System.Text.Json;
using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// One variant run by the built CLI, shared by the tests below: it must exit 1 and leave a trace, which replays as
/// the same bug, and whose damaged copies are refused with exit 2.
/// </summary>
public sealed class VariantRun : IAsyncLifetime
{
    public const string VariantName = "double-kunmap";

    internal TempDirectory Directory { get; } = new();

    internal ProcessResult Result { get; private set; } = null!;

    public string? TracePath { get; private set; }

    public async Task InitializeAsync()
    {
        Result = await HmcProcess.Run(Directory.Path, "test", "--variant", VariantName, "--iterations", "2000", "--seed", "1");
        var outDir = Path.Combine(Directory.Path, "hmc-out");
        TracePath = System.IO.Directory.Exists(outDir) ? System.IO.Directory.GetFiles(outDir, "*.trace.json").SingleOrDefault() : null;
    }

    public Task DisposeAsync()
    {
        Directory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class BugTraceTests(VariantRun run) : IClassFixture<VariantRun>
{
    private string Trace => run.TracePath ?? throw new Xunit.Sdk.XunitException($"no trace was written:\n{run.Result}");

    [Fact]
    public void A_variant_exits_1_and_writes_a_trace_named_after_what_it_found()
    {
        var variant = ModelCatalog.Variant(VariantRun.VariantName);
        Assert.True(run.Result.ExitCode == ExitCodes.BugFound, run.Result.ToString());
        var name = Path.GetFileName(Trace);
        Assert.Contains($"_{variant.Scenarios[0]}_{variant.Name}_", name);
        Assert.Contains($"found {variant.ExpectedKind}", run.Result.Out);
        Assert.Contains("hmc replay ", run.Result.Out);
    }

    [Fact]
    public async Task The_trace_replays_as_the_same_bug_with_one_column_per_cpu()
    {
        var recorded = JsonNode.Parse(File.ReadAllText(Trace))!["bug"]!["kind"]!.GetValue<string>();
        var result = await HmcProcess.Run(run.Directory.Path, "replay", Trace);

        Assert.True(result.ExitCode == ExitCodes.BugFound, result.ToString());
        Assert.Contains($"Reproduced {recorded}", result.Out);
        var header = result.Out.Split('\n').First(l => l.TrimStart().StartsWith("step", StringComparison.Ordinal));
        Assert.Contains("T0 ", header);
        Assert.Contains("T1 ", header);
    }

    [Fact]
    public async Task A_truncated_copy_is_refused_with_exit_2_and_the_reason()
    {
        var text = File.ReadAllText(Trace);
        var copy = Path.Combine(run.Directory.Path, "truncated.trace.json");
        File.WriteAllText(copy, text[..(text.Length * 2 / 3)]);

        var result = await HmcProcess.Run(run.Directory.Path, "replay", copy);
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("the file is truncated or malformed", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task A_copy_with_a_dropped_decision_is_refused_naming_the_field()
    {
        var json = JsonNode.Parse(File.ReadAllText(Trace))!.AsObject();
        json["decisions"]!.AsArray().RemoveAt(0);
        var copy = Path.Combine(run.Directory.Path, "edited.trace.json");
        File.WriteAllText(copy, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var result = await HmcProcess.Run(run.Directory.Path, "replay", copy);
        Assert.True(result.ExitCode == ExitCodes.BadInput, result.ToString());
        Assert.Contains("trace field 'decisions'", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }
}
