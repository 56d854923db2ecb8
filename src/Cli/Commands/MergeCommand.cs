using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Rendering;

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
        var result = new Campaign(catalog).Merge(directories, outDirectory, env.Time);
        env.Error.WriteLine($"hmc merge: {result.MergedShards} shard(s) of {TestCommand.Header(result.Plan, result.Request, result.Output!)["hmc test: ".Length..]}");
        if (json) env.Out.WriteLine(JsonOutput.Serialize(result.Summary));
        else TestResultView.Render(Consoles.Out(env), result);
        return result.ExitCode;
    }
}
