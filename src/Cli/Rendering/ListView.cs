using HighMemConcurrency.Systematic;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>The tables of <c>hmc list</c>.</summary>
internal static class ListView
{
    public static void Render(IAnsiConsole console, ICatalog catalog)
    {
        var scenarios = new Table().Border(TableBorder.Rounded).Title("scenarios")
            .AddColumn(TestResultView.Name("name")).AddColumn("description").AddColumn("parameters (defaults)");
        foreach (var s in catalog.Scenarios)
            scenarios.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Assembly is { } a ? $"{s.Description} (from {a})" : s.Description),
                Markup.Escape(Parameters(s)));
        if (catalog.Scenarios.Count == 0) scenarios.AddRow("[grey](none defined)[/]", "", "");
        console.Write(scenarios);

        // The description shares the name's cell, under it: on a terminal it then gets the width the short
        // columns leave, instead of being squeezed into a column of its own.
        var variants = new Table().Border(TableBorder.Rounded).ShowRowSeparators().Title("bug variants (--variant)")
            .AddColumn("name and description").AddColumn(TestResultView.Name("kind")).AddColumn("bug class")
            .AddColumn("scenarios").AddColumn(TestResultView.Name("strategy"));
        foreach (var v in catalog.Variants)
            variants.AddRow($"[bold]{Markup.Escape(v.Name)}[/]\n{Markup.Escape(v.Description)}", v.ExpectedKind.ToString(),
                Markup.Escape(v.BugClass), Markup.Escape(string.Join(", ", v.Scenarios)),
                Markup.Escape(v.MemoryModel == Systematic.MemoryModel.Sc ? v.Strategy : $"{v.Strategy}, {MemoryModelNames.Name(v.MemoryModel)}"));
        if (catalog.Variants.Count == 0) variants.AddRow("[grey](none defined)[/]", "", "", "", "");
        console.Write(variants);
        var strategies = new Table().Border(TableBorder.Rounded).Title("strategies (--strategy)")
            .AddColumn(TestResultView.Name("name")).AddColumn("description");
        foreach (var s in StrategyNames.Described) strategies.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Description));
        console.Write(strategies);
        var coyote = new Table().Border(TableBorder.Rounded).Title("Coyote strategies (--engine coyote --strategy)")
            .AddColumn(TestResultView.Name("name")).AddColumn("description");
        foreach (var s in CampaignEngines.Strategies(CampaignEngines.Coyote)) coyote.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Description));
        console.Write(coyote);
        console.MarkupLine("[grey]--cpus, --tasks-per-cpu, --last-pkmap, --pages and --ops-per-task override the parameters a scenario lists " +
                           "(it refuses the others); `hmc test --help` shows every option.[/]");
    }

    /// <summary><c>cpus=2 tasksPerCpu=1 lastPkmap=4 pages=4 opsPerTask=2</c>: the names traces use.</summary>
    public static string Parameters(ScenarioParameters parameters) => Join(parameters.ToDictionary().Where(p => p.Key != ScenarioParameters.VariantName));

    /// <summary>The defaults of the parameters <paramref name="scenario"/> reads (<c>cpus=2 tasksPerCpu=1 opsPerTask=2</c>).</summary>
    public static string Parameters(IScenario scenario) => Join(ListDocument.Honoured(scenario));

    private static string Join(IEnumerable<KeyValuePair<string, string>> parameters) => string.Join(" ", parameters.Select(p => $"{p.Key}={p.Value}"));
}
