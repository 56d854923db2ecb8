using System.CommandLine;
using HighMemConcurrency.Cli.Catalogs;
using HighMemConcurrency.Cli.Output;
using HighMemConcurrency.Cli.Rendering;
using HighMemConcurrency.Cli.Testing;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc merge DIR…</c>: joins the output of every shard of a campaign into the unsharded run's result.</summary>
internal static class MergeCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var directories = new Argument<string[]>("DIR")
        {
            Description = "Output directories of the shards (`hmc test --shard K/N --out DIR`); every summary in them must be a shard's.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = CommonOptions.Out();
        var json = CommonOptions.Json("merged summary");
        var command = new Command("merge",
            "Merge the summaries and traces of the N shards of one campaign into one summary and one table, as `hmc test` " +
            "would have reported the campaign unsharded; the traces of the bugs it reports are copied under --out. Exit codes " +
            "as `hmc test` (0 clean, 1 bug found); 2 when the summaries are malformed, from different campaigns, or a shard " +
            "is missing or given twice.")
        {
            directories, output, json,
        };
        command.SetAction(parse => Run(catalog, env, parse.GetValue(directories)!, parse.GetValue(output)!, parse.GetValue(json)));
        return command;
    }

    internal static int Run(ICatalog catalog, CliEnvironment env, IReadOnlyList<string> directories, string outDirectory, bool json)
    {
        var shards = ShardMerge.Read(directories);
        var output = RunOutput.Open(outDirectory, env.Time.GetUtcNow());
        var merged = ShardMerge.Merge(catalog, shards, output);
        var request = merged.Request;
        env.Error.WriteLine($"hmc merge: {shards.Count} shard(s) of {TestCommand.Header(merged.Plan, request, output)["hmc test: ".Length..]}");
        var exitCode = Verdict.ExitCode(merged.Plan, merged.Outcomes, canceled: false);
        var summary = TestSummary.From(merged.Plan, request, merged.Outcomes, merged.StartedAt, merged.Elapsed, canceled: false, error: null, exitCode);
        var text = JsonOutput.Serialize(summary);
        var summaryPath = output.WriteSummary("test", text);
        if (json) env.Out.WriteLine(text);
        else TestResultView.Render(Consoles.Out(env), merged.Plan, merged.Outcomes, canceled: false, merged.Elapsed, request, summaryPath);
        return exitCode;
    }
}
