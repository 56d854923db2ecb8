namespace HighMemConcurrency.HighMem.Scenarios;

/// <summary>Every scenario and bug variant the model offers, by name: permanent mappings, then temporary ones.</summary>
public static class Catalog
{
    /// <summary>All scenarios, in the order <c>hmc list</c> prints them.</summary>
    public static IReadOnlyList<IScenario> Scenarios { get; } =
        [.. Permanent.PkmapCatalog.Scenarios, .. Temporary.TemporaryCatalog.Scenarios];

    /// <summary>All bug variants, in the order <c>hmc list</c> prints them.</summary>
    public static IReadOnlyList<BugVariant> Variants { get; } =
        [.. Permanent.PkmapCatalog.Variants, .. Temporary.TemporaryCatalog.Variants];

    /// <summary>The scenario with this name, or null.</summary>
    public static IScenario? FindScenario(string name) => Scenarios.FirstOrDefault(s => s.Name == name);

    /// <summary>The variant with this name, or null.</summary>
    public static BugVariant? FindVariant(string name) => Variants.FirstOrDefault(v => v.Name == name);
}
