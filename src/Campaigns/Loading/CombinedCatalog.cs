using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// A catalog and the assemblies loaded beside it (<c>hmc --load</c>): its scenarios and variants first, then each
/// assembly's in the order given. A name declared twice — by the catalog and an assembly, or by two assemblies — is
/// refused, so a name always means one scenario and a trace one workload.
/// </summary>
public sealed class CombinedCatalog : ICatalog
{
    private CombinedCatalog(IReadOnlyList<IScenario> scenarios, IReadOnlyList<BugVariant> variants)
    {
        Scenarios = scenarios;
        Variants = variants;
    }

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; }

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; }

    /// <summary>
    /// <paramref name="catalog"/> with the scenarios and variants of <paramref name="loaded"/>; a name that clashes
    /// with one already there, or an assembly given twice, is a <see cref="CampaignException"/> naming the file.
    /// </summary>
    public static ICatalog Of(ICatalog catalog, IReadOnlyList<AssemblyCatalog> loaded)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loaded);
        return loaded.Count == 0 ? catalog : Combine(catalog, loaded);
    }

    /// <summary>
    /// The scenarios and variants of <paramref name="loaded"/> alone (<c>hmc --only-loaded</c>), so that, for
    /// example, <c>--variant all</c> self-checks a user's assembly without the model's variants; names that clash
    /// between two assemblies, or an assembly given twice, are refused as in <see cref="Of"/>.
    /// </summary>
    public static ICatalog OfLoaded(IReadOnlyList<AssemblyCatalog> loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Count == 0) throw new CampaignException("no assembly is loaded to take the scenarios from");
        return Combine(new CombinedCatalog([], []), loaded);
    }

    private static CombinedCatalog Combine(ICatalog catalog, IReadOnlyList<AssemblyCatalog> loaded)
    {
        var scenarios = new Dictionary<string, string>(StringComparer.Ordinal);
        var variants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in catalog.Scenarios) scenarios[s.Name] = "a built-in one";
        foreach (var v in catalog.Variants) variants[v.Name] = "a built-in one";
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assembly in loaded)
        {
            var file = Path.GetFileName(assembly.Path);
            if (!paths.Add(assembly.Path)) throw new CampaignException($"{file}: loaded twice");
            foreach (var s in assembly.Scenarios)
                if (!scenarios.TryAdd(s.Name, $"the one in {file}"))
                    throw new CampaignException($"{file}: scenario '{s.Name}' clashes with {scenarios[s.Name]}");
            foreach (var v in assembly.Variants)
                if (!variants.TryAdd(v.Name, $"the one in {file}"))
                    throw new CampaignException($"{file}: variant '{v.Name}' clashes with {variants[v.Name]}");
        }
        return new CombinedCatalog([.. catalog.Scenarios, .. loaded.SelectMany(a => a.Scenarios)],
            [.. catalog.Variants, .. loaded.SelectMany(a => a.Variants)]);
    }
}
