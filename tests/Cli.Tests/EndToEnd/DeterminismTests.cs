using HighMemConcurrency.HighMem.Variants;
using System.Text.Json;
using System.Text.Json.Nodes;
using HighMemConcurrency.Cli.Tests.Fakes;

namespace HighMemConcurrency.Cli.Tests.EndToEnd;

/// <summary>
/// The self-check (every model variant, seed 1) run twice by the built CLI, each in its own process and directory:
/// what the determinism tests compare.
/// </summary>
public sealed class TwoSelfChecks : IAsyncLifetime
{
    internal TempDirectory First { get; } = new();

    internal TempDirectory Second { get; } = new();

    internal ProcessResult FirstRun { get; private set; } = null!;

    internal ProcessResult SecondRun { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string[] args = ["test", "--variant", "all", "--iterations", "2000", "--seed", "1", "--json"];
        FirstRun = await HmcProcess.Run(First.Path, args);
        SecondRun = await HmcProcess.Run(Second.Path, args);
    }

    public Task DisposeAsync()
    {
        First.Dispose();
        Second.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Variant → the trace its run wrote.</summary>
    internal static IReadOnlyDictionary<string, string> Traces(ProcessResult run)
    {
        Assert.True(run.ExitCode == ExitCodes.Clean, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("selfCheck").EnumerateArray().ToDictionary(
            c => c.GetProperty("variant").GetString()!,
            c => c.GetProperty("trace").GetString() ?? throw new Xunit.Sdk.XunitException($"no trace: {c}"));
    }
}

/// <summary>
/// Same test, strategy and seed ⇒ the same bug, to the letter: every model variant's bug message, interleaving
/// decisions and trace are byte-identical across processes, and a replay in a fresh process reports the very
/// message the trace recorded (no label from a hash code, a clock or a thread id).
/// </summary>
public sealed class DeterminismTests(TwoSelfChecks runs) : IClassFixture<TwoSelfChecks>
{
    [Fact]
    public void Every_variant_writes_the_same_trace_byte_for_byte_in_two_processes()
    {
        var first = TwoSelfChecks.Traces(runs.FirstRun);
        var second = TwoSelfChecks.Traces(runs.SecondRun);

        Assert.Equal(HighMem.Variants.VariantRegistry.All.Select(v => v.Name).Order(), first.Keys.Order());
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.All(first, pair => Assert.Equal(File.ReadAllText(pair.Value), File.ReadAllText(second[pair.Key])));
    }

    [Fact]
    public async Task Every_variant_replays_in_a_fresh_process_with_the_recorded_message()
    {
        var traces = TwoSelfChecks.Traces(runs.FirstRun);
        // Replays are independent processes; two at a time keeps a 2-core machine busy without thrashing it.
        using var gate = new SemaphoreSlim(2);
        var checks = traces.Select(async pair =>
        {
            await gate.WaitAsync();
            try
            {
                var bug = JsonNode.Parse(File.ReadAllText(pair.Value))!["bug"]!;
                var (kind, message) = (bug["kind"]!.GetValue<string>(), bug["message"]!.GetValue<string>());
                // A width no message reaches, so the message is printed as one unwrapped block.
                var replay = await HmcProcess.Run(runs.First.Path, columns: 1_000_000, interruptWhen: null, "replay", pair.Value);
                return (Variant: pair.Key, replay, Expected: $"{kind}: {message}".ReplaceLineEndings("\n"));
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        foreach (var (variant, replay, expected) in await Task.WhenAll(checks))
        {
            Assert.True(replay.ExitCode == ExitCodes.BugFound, $"{variant}: {replay}");
            Assert.True(replay.Out.ReplaceLineEndings("\n").Contains(expected, StringComparison.Ordinal),
                $"{variant}: the replay does not report the recorded message\n--- recorded ---\n{expected}\n--- replay ---\n{replay.Out}");
            Assert.Contains("as recorded", replay.Out);
        }
    }
}
