using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Rendering;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc list [--json] [--history]</c>: scenarios and bug variants with their descriptions and parameters, or the kernel fixes the variants reproduce.</summary>
internal static class ListCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON (format hmc-list/1) instead of tables." };
        var history = new Option<bool>("--history")
        {
            Description = "Show the kernel fix each variant reproduces (commit or thread, introduced and fixed in, architecture, whether the citation was checked) instead of the catalog; --json carries it as each variant's \"history\".",
        };
        var command = new Command("list", "List the scenarios and bug variants, with one-line descriptions and their parameters.") { json, history };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json)) env.Out.WriteLine(JsonOutput.Serialize(ListDocument.From(catalog)));
            else if (parse.GetValue(history)) HistoryView.Render(Consoles.Out(env), catalog);
            else ListView.Render(Consoles.Out(env), catalog);
            return ExitCodes.Clean;
        });
        return command;
    }
}
