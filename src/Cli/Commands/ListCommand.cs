using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Rendering;

namespace HighMemConcurrency.Cli.Commands;

/// <summary><c>hmc list [--json]</c>: scenarios and bug variants with their descriptions and parameters.</summary>
internal static class ListCommand
{
    public static Command Create(ICatalog catalog, CliEnvironment env)
    {
        var json = new Option<bool>("--json") { Description = "Print the catalog as JSON (format hmc-list/1) instead of tables." };
        var command = new Command("list", "List the scenarios and bug variants, with one-line descriptions and their parameters.") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json)) env.Out.WriteLine(JsonOutput.Serialize(ListDocument.From(catalog)));
            else ListView.Render(Consoles.Out(env), catalog);
            return ExitCodes.Clean;
        });
        return command;
    }
}
