using System.Text.Json;
using HighMemConcurrency.Cli.Tests.Browser;
using HighMemConcurrency.Cli.Tests.EndToEnd;
using Json.Schema;

namespace HighMemConcurrency.Cli.Tests.Reports;

/// <summary>
/// Every summary the CLI writes validates against docs/summary.schema.json: a variant hunt (the shared lost-wakeup
/// run), a clean run of the correct model, a clean stress run and a failed one with its reproduction. The schema
/// forbids unknown fields, so a summary that grows a field without the schema fails here.
/// </summary>
public sealed class SummarySchemaTests(TimelineRun run) : IClassFixture<TimelineRun>
{
    private static readonly JsonSchema Schema =
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "summary.schema.json")));

    [Fact]
    public async Task Every_summary_the_cli_writes_matches_the_published_schema()
    {
        var model = await HmcProcess.Run(run.Directory.Path, "test", "--scenario", "distinct-pages", "--iterations", "20", "--seed", "3");
        Assert.True(model.ExitCode == ExitCodes.Clean, model.ToString());
        var stress = await HmcProcess.Run(run.Directory.Path, "stress", "--duration", "1s");
        Assert.True(stress.ExitCode == ExitCodes.Clean, stress.ToString());
        // double-kunmap BUGs on the first kunmap, natively and systematically: a failed stress run with its reproduction.
        var failed = await HmcProcess.Run(run.Directory.Path, "stress", "--variant", "double-kunmap", "--cpus", "2", "--duration", "10s", "--seed", "1");
        Assert.True(failed.ExitCode == ExitCodes.BugFound, failed.ToString());

        var summaries = Directory.GetFiles(Path.Combine(run.Directory.Path, "hmc-out"), "*_summary-*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, summaries.Count(s => s.EndsWith("summary-stress.json", StringComparison.Ordinal)));
        Assert.True(summaries.Count(s => s.EndsWith("summary-test.json", StringComparison.Ordinal)) >= 2, string.Join("\n", summaries));
        foreach (var path in summaries)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{Path.GetFileName(path)} breaks the schema:\n{Errors(result)}");
        }
    }

    [Fact]
    public void A_summary_with_an_unknown_field_is_rejected()
    {
        using var document = JsonDocument.Parse("""{"format":"hmc-stress-summary/1","surprise":1}""");
        Assert.False(Schema.Evaluate(document.RootElement).IsValid);
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
