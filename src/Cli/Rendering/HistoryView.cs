using HighMemConcurrency.Campaigns;
using Spectre.Console;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>
/// <c>hmc list --history</c>: the kernel fix each variant reproduces — the commit or thread, what introduced and what
/// fixed the mistake, where it bit, whether the citation was checked — then the account of each.
/// </summary>
internal static class HistoryView
{
    public static void Render(IAnsiConsole console, ICatalog catalog)
    {
        var withHistory = catalog.Variants.Where(v => v.History is not null).ToList();
        var table = new Table().Border(TableBorder.Rounded).ShowRowSeparators().Title("the kernel's fixes the variants reproduce")
            .AddColumn(TestResultView.Name("variant")).AddColumn("fix").AddColumn("introduced by").AddColumn("fixed in")
            .AddColumn("architecture").AddColumn("checked");
        foreach (var v in withHistory)
        {
            var h = v.History!;
            table.AddRow(Markup.Escape(v.Name), Markup.Escape($"{h.Reference}: {h.Title}"), Markup.Escape(h.Introduced), Markup.Escape(h.Fixed),
                Markup.Escape(h.Architecture), h.Verified is null ? "[yellow]no (from the spec)[/]" : "yes");
        }
        if (withHistory.Count == 0) table.AddRow("[grey](no variant names a kernel fix)[/]", "", "", "", "", "");
        console.Write(table);
        foreach (var v in withHistory)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(v.Name)}[/] ({Markup.Escape(string.Join(", ", v.Scenarios))}): {Markup.Escape(v.History!.Account)}");
            if (v.History.Verified is { } where) console.MarkupLine($"[grey]checked against {Markup.Escape(where)}[/]");
        }
        var others = catalog.Variants.Count - withHistory.Count;
        if (others > 0)
            console.MarkupLine($"[grey]{others} other variant(s) reproduce a bug class of the spec with no one kernel fix behind it (docs/history.md).[/]");
    }
}
