namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// Every bug variant of the model — each declared once, by kernel area, in <see cref="PkmapVariants"/>,
/// <see cref="AtomicVariants"/>, <see cref="LocalVariants"/>, <see cref="VmallocVariants"/> and
/// <see cref="OrderingVariants"/> — and the one lookup
/// by name with the one error wording, used by the scenarios, the CLI, the Coyote entry points and the tests.
/// </summary>
public static class VariantRegistry
{
    /// <summary>The name of the correct model (no variant switched on).</summary>
    public const string None = "none";

    /// <summary>All variants, in the order <c>hmc list</c> prints them: permanent mappings, temporary ones, vmalloc, then the hardware's.</summary>
    public static IReadOnlyList<BugVariant> All { get; } =
        [.. PkmapVariants.All, .. AtomicVariants.All, .. LocalVariants.All, .. VmallocVariants.All, .. OrderingVariants.All];

    /// <summary>The variant of <paramref name="variants"/> named <paramref name="name"/>, or null.</summary>
    public static BugVariant? Find(IEnumerable<BugVariant> variants, string name) => variants.FirstOrDefault(v => v.Name == name);

    /// <summary>The model's variant named <paramref name="name"/>, or null.</summary>
    public static BugVariant? Find(string name) => Find(All, name);

    /// <summary>
    /// The variant a run switches on: null for <see cref="None"/> (the correct model); an unknown name throws
    /// <see cref="ArgumentException"/> with <see cref="Unknown"/>'s wording.
    /// </summary>
    public static BugVariant? Switch(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name == None ? null : Find(name) ?? throw new ArgumentException(Unknown(name, All, None));
    }

    /// <summary>The names of the variants scenario <paramref name="scenario"/> accepts (besides <see cref="None"/>), in registry order.</summary>
    public static IReadOnlyList<string> For(string scenario) => [.. All.Where(v => v.AppliesTo.Contains(scenario)).Select(v => v.Name)];

    /// <summary>
    /// The one wording of an unknown variant: <c>unknown variant 'x' (valid: a, b, none)</c> — the names of
    /// <paramref name="variants"/>, then the <paramref name="words"/> the caller also takes (<c>none</c>, <c>all</c>).
    /// </summary>
    public static string Unknown(string name, IEnumerable<BugVariant> variants, params string[] words)
    {
        var valid = variants.Select(v => v.Name).Concat(words).ToList();
        return $"unknown variant '{name}' (valid: {(valid.Count == 0 ? "(none defined)" : string.Join(", ", valid))})";
    }
}
