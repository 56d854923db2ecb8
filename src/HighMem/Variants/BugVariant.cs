using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// A named historic mistake that can be switched on in the model (off by default), declared once in
/// <see cref="VariantRegistry"/>. The model compares the run's variant with it at exactly the line the mistake changed.
/// </summary>
/// <param name="Name">Kebab-case switch name, e.g. <c>enqueue-after-unlock</c>.</param>
/// <param name="Description">One line: the mistake, and the spec entry (e.g. H14 i) it reproduces.</param>
/// <param name="ExpectedKind">The engine bug kind it produces.</param>
/// <param name="BugClass">The class in the model's words: deadlock (lost wakeup), corruption, invariant P7, BUG, invalid context...</param>
/// <param name="Scenarios">The scenario(s) where it is found; the first is the one <c>hmc test --variant</c> uses.</param>
/// <param name="Strategy">The strategy that finds it within the test budget (pct unless stated).</param>
public sealed record BugVariant(string Name, string Description, BugKind ExpectedKind, string BugClass,
    IReadOnlyList<string> Scenarios, string Strategy = "pct")
{
    /// <summary>The spec's bug entry (spec §4: H14 i, H3b, V7…), or "—" where the spec names none.</summary>
    public string Spec { get; init; } = "—";

    /// <summary>Where the switch sits: the kernel function (and model file) whose line the mistake changes, and how.</summary>
    public string Switches { get; init; } = "";

    /// <summary>The kernel fix this variant reproduces (its mistake is the code before the fix), or null when it is a
    /// bug class of the spec with no one fix behind it.</summary>
    public KernelFix? History { get; init; }

    /// <summary>
    /// The memory model the variant is found under: <see cref="Systematic.MemoryModel.Sc"/> for a mistake any
    /// interleaving shows, <see cref="Systematic.MemoryModel.Tso"/> for one only store buffers make (a missing
    /// barrier). <c>hmc test --variant</c> and the self-check run it under this model unless told otherwise.
    /// </summary>
    public Systematic.MemoryModel MemoryModel { get; init; } = Systematic.MemoryModel.Sc;

    /// <summary>Every scenario that accepts the variant (by default those it is found in, <see cref="Scenarios"/>).</summary>
    public IReadOnlyList<string> AppliesTo { get => field ?? Scenarios; init; }
}
