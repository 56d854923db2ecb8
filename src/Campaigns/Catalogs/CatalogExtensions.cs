using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>Name look-ups over a catalog, with the one wording of an unknown name.</summary>
public static class CatalogExtensions
{
    /// <summary>The scenario named <paramref name="name"/>, or null.</summary>
    public static IScenario? FindScenario(this ICatalog catalog, string name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Scenarios.FirstOrDefault(s => s.Name == name);
    }

    /// <summary>The variant named <paramref name="name"/>, or null.</summary>
    public static BugVariant? FindVariant(this ICatalog catalog, string name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return VariantRegistry.Find(catalog.Variants, name);
    }

    /// <summary>
    /// The scenario named <paramref name="name"/>; an unknown one is a <see cref="CampaignException"/> listing the
    /// catalog's scenarios and the <paramref name="words"/> the caller also takes (<c>all</c>).
    /// </summary>
    public static IScenario Scenario(this ICatalog catalog, string name, params string[] words) =>
        catalog.FindScenario(name) ?? throw new CampaignException($"unknown scenario '{name}' (valid: {catalog.ScenarioNames(words)})");

    /// <summary>
    /// The variant named <paramref name="name"/>; an unknown one is a <see cref="CampaignException"/> in the
    /// registry's one wording, listing the catalog's variants and the <paramref name="words"/> the caller also takes.
    /// </summary>
    public static BugVariant Variant(this ICatalog catalog, string name, params string[] words) =>
        catalog.FindVariant(name) ?? throw new CampaignException(VariantRegistry.Unknown(name, catalog.Variants, words));

    /// <summary>"a, b, c" (then <paramref name="extra"/>), or "(none defined)", for one-line errors.</summary>
    public static string ScenarioNames(this ICatalog catalog, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var list = catalog.Scenarios.Select(s => s.Name).Concat(extra).ToList();
        return list.Count == 0 ? "(none defined)" : string.Join(", ", list);
    }
}
