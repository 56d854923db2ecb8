using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.Cli.Catalogs;

/// <summary>
/// The scenarios and variants the commands offer. The tool uses <see cref="HighMemCatalog"/>; unit tests hand
/// <see cref="CliApp.Build"/> small catalogs of their own so they can test the commands without the model.
/// </summary>
internal interface ICatalog
{
    /// <summary>Scenarios in listing order.</summary>
    IReadOnlyList<IScenario> Scenarios { get; }

    /// <summary>Bug variants in listing order.</summary>
    IReadOnlyList<BugVariant> Variants { get; }
}

/// <summary>Name look-ups shared by every command.</summary>
internal static class CatalogExtensions
{
    public static IScenario? FindScenario(this ICatalog catalog, string name) =>
        catalog.Scenarios.FirstOrDefault(s => s.Name == name);

    public static BugVariant? FindVariant(this ICatalog catalog, string name) => VariantRegistry.Find(catalog.Variants, name);

    /// <summary>
    /// The variant named <paramref name="name"/>; an unknown one is a <see cref="UsageException"/> (exit 2) in the
    /// registry's one wording, listing the catalog's variants and the <paramref name="words"/> the command also takes.
    /// </summary>
    public static BugVariant Variant(this ICatalog catalog, string name, params string[] words) =>
        catalog.FindVariant(name) ?? throw new UsageException(VariantRegistry.Unknown(name, catalog.Variants, words));

    /// <summary>"a, b, c" or "(none defined)" for one-line errors.</summary>
    public static string ScenarioNames(this ICatalog catalog, params string[] extra) =>
        JoinNames(catalog.Scenarios.Select(s => s.Name).Concat(extra));

    private static string JoinNames(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "(none defined)" : string.Join(", ", list);
    }
}
