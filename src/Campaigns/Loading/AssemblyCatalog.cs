using System.Reflection;
using System.Runtime.Loader;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The scenarios and variants a user's assembly declares (<c>hmc --load PATH.dll</c>): those of every public,
/// non-abstract <see cref="ICatalog"/> in it with a public parameterless constructor, in the order of the catalogs'
/// full names. Each scenario says which assembly it came from (<see cref="IScenario.Assembly"/>: its name and version),
/// so its traces record it.
/// </summary>
public sealed class AssemblyCatalog : ICatalog
{
    private AssemblyCatalog(string path, string identity, IReadOnlyList<IScenario> scenarios, IReadOnlyList<BugVariant> variants)
    {
        Path = path;
        Identity = identity;
        Scenarios = scenarios;
        Variants = variants;
    }

    /// <summary>The assembly's full path.</summary>
    public string Path { get; }

    /// <summary>Its name and version ("LockFreeKmap 1.0.0.0"), as traces record it.</summary>
    public string Identity { get; }

    /// <inheritdoc />
    public IReadOnlyList<IScenario> Scenarios { get; }

    /// <inheritdoc />
    public IReadOnlyList<BugVariant> Variants { get; }

    /// <summary>The name and version traces record for <paramref name="assembly"/>.</summary>
    public static string IdentityOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var name = assembly.GetName();
        return $"{name.Name} {name.Version}";
    }

    /// <summary>
    /// Loads the assembly at <paramref name="path"/> into the default load context (its own dependencies are found
    /// beside it; the tool's libraries are the tool's) and reads its catalogs. A missing file, a file that is not a
    /// .NET assembly, one that cannot be loaded, types that cannot be loaded, a catalog that fails to construct, and an
    /// assembly that declares no scenario are <see cref="CampaignException"/>s naming the file.
    /// </summary>
    public static AssemblyCatalog Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        var file = System.IO.Path.GetFileName(full);
        if (!File.Exists(full)) throw new CampaignException($"{path}: no such file");
        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
        }
        catch (BadImageFormatException)
        {
            throw new CampaignException($"{file}: not a .NET assembly");
        }
        catch (FileLoadException e)
        {
            throw new CampaignException($"{file}: cannot be loaded: {CampaignException.OneLine(e.Message)}", e);
        }
        ProbeBeside(System.IO.Path.GetDirectoryName(full)!);
        return From(full, IdentityOf(assembly), Catalogs(assembly, file));
    }

    /// <summary>
    /// <paramref name="catalog"/> as <c>hmc --load</c> would see it in the assembly that defines its type: each
    /// scenario stamped with that assembly, so that a test suite's own catalog writes traces that
    /// <c>hmc replay --load</c> of the suite's dll accepts, and bugs whose replay command says so. An empty catalog, or
    /// one whose names repeat, is a <see cref="CampaignException"/>.
    /// </summary>
    public static AssemblyCatalog Of(ICatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is AssemblyCatalog stamped) return stamped;
        var assembly = catalog.GetType().Assembly;
        return From(assembly.Location, IdentityOf(assembly), [catalog]);
    }

    private static AssemblyCatalog From(string path, string identity, IReadOnlyList<ICatalog> catalogs)
    {
        var file = System.IO.Path.GetFileName(path);
        var scenarios = new List<IScenario>();
        var variants = new List<BugVariant>();
        foreach (var catalog in catalogs)
        {
            scenarios.AddRange(catalog.Scenarios.Select(s => new LoadedScenario(s, identity, path)));
            variants.AddRange(catalog.Variants);
        }
        if (scenarios.Count == 0)
            throw new CampaignException(catalogs.Count == 0
                ? $"{file}: no scenarios (it has no public {nameof(ICatalog)} with a public parameterless constructor)"
                : $"{file}: no scenarios (its catalogs {string.Join(", ", catalogs.Select(c => c.GetType().FullName))} are empty)");
        if (Duplicate(scenarios.Select(s => s.Name)) is { } scenario) throw new CampaignException($"{file}: scenario '{scenario}' is declared twice");
        if (Duplicate(variants.Select(v => v.Name)) is { } variant) throw new CampaignException($"{file}: variant '{variant}' is declared twice");
        foreach (var v in variants)
            if (v.Scenarios.FirstOrDefault(n => scenarios.All(s => s.Name != n)) is { } missing)
                throw new CampaignException($"{file}: variant '{v.Name}' names scenario '{missing}', which the assembly does not declare");
        return new AssemblyCatalog(path, identity, scenarios, variants);
    }

    private static List<ICatalog> Catalogs(Assembly assembly, string file)
    {
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            var cause = e is ReflectionTypeLoadException r ? r.LoaderExceptions.FirstOrDefault(x => x is not null) ?? e : e;
            throw new CampaignException($"{file}: its types cannot be loaded: {CampaignException.OneLine(cause.Message)}", e);
        }
        var list = new List<ICatalog>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICatalog).IsAssignableFrom(t)
                                              && t.GetConstructor(Type.EmptyTypes) is not null)
                                  .OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            try
            {
                list.Add((ICatalog)Activator.CreateInstance(type)!);
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                throw new CampaignException($"{file}: catalog {type.FullName} failed to construct: {inner.GetType().Name}: {CampaignException.OneLine(inner.Message)}", e);
            }
        }
        return list;
    }

    /// <summary>The assembly's own dependencies (not the tool's, which the default context already has) are found in its folder.</summary>
    private static void ProbeBeside(string directory)
    {
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = System.IO.Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
    }

    private static string? Duplicate(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
}
