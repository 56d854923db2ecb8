using System.CommandLine;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Parsing;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Cli.Commands;

/// <summary>Options several verbs share, so they read and fail the same way everywhere.</summary>
internal static class CommonOptions
{
    public const string DefaultOut = "hmc-out";

    public static Option<string> Out() => new("--out")
    {
        Description = "Directory for trace files and the JSON summary (created if missing).",
        HelpName = "DIR",
        DefaultValueFactory = _ => DefaultOut,
    };

    /// <summary>The option that loads a user's scenarios; every verb takes it (it is recursive on the root).</summary>
    public const string LoadName = "--load";

    /// <summary>
    /// <c>--load PATH.dll</c>, repeatable: the scenarios and variants of a user's assembly (its public catalogs) join
    /// the model's for this command. Read before the verbs are built (<see cref="CliApp.RunAsync"/>), so that their
    /// names are valid choices.
    /// </summary>
    public static Option<string[]> Load() => new(LoadName)
    {
        Description = "Load the scenarios and variants of an assembly (a .dll with a public ICatalog) beside the model's; repeatable.",
        HelpName = "PATH.dll",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The option that leaves the model's own scenarios and variants out of a <c>--load</c> command.</summary>
    public const string OnlyLoadedName = "--only-loaded";

    /// <summary>
    /// <c>--only-loaded</c>: the verbs see the loaded assemblies' scenarios and variants alone — <c>hmc test --load
    /// X.dll --only-loaded --variant all</c> self-checks X without the model's variants, and <c>hmc list</c> lists X's.
    /// </summary>
    public static Option<bool> OnlyLoaded() => new(OnlyLoadedName)
    {
        Description = "With --load: only the loaded assemblies' scenarios and variants, not the model's (e.g. --variant all self-checks them alone).",
        Recursive = true,
    };

    /// <summary><c>--memory-model sc|tso|arm</c>: the memory model the schedules run under (default sc).</summary>
    public static Option<string?> MemoryModel() => OptionFactory.Name("--memory-model", "model",
        "sc (sequential consistency) | tso (x86 store buffers: each CPU's stores wait in a FIFO buffer and become " +
        "visible when the strategy drains it; smp_mb, locked atomics and locks drain it) | arm (the kernel memory model's " +
        "weak ordering: a load may read an older store than the newest unless smp_rmb, an acquire, smp_mb, a lock or " +
        "happens-before orders it; which store it reads is the strategy's choice). Default: sc, or a variant's own " +
        "(the hardware's variants are found under tso or arm). Only the hmc engine runs tso and arm.",
        () => MemoryModelNames.All);

    /// <summary>The model named by <see cref="MemoryModel()"/>'s value (validated already); null when absent (each job's own).</summary>
    public static Systematic.MemoryModel? ReadMemoryModel(string? name) => name is null ? null : MemoryModelNames.Parse(name)!.Value;

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print the {what} as JSON on stdout instead of tables." };

    /// <summary>A scenario name; <paramref name="allowAll"/> adds <c>all</c>.</summary>
    public static Option<string?> Scenario(ICatalog catalog, string description, bool allowAll) =>
        OptionFactory.Name("--scenario", "scenario", description,
            () => catalog.Scenarios.Select(s => s.Name).Concat(allowAll ? [TestPlanner.All] : []).ToList());

    /// <summary>A variant name, or <c>none</c>; <paramref name="allowAll"/> adds <c>all</c>.</summary>
    public static Option<string?> Variant(ICatalog catalog, string description, bool allowAll) =>
        OptionFactory.Name("--variant", "variant", description,
            () => catalog.Variants.Select(v => v.Name).Concat(allowAll ? [TestPlanner.None, TestPlanner.All] : [TestPlanner.None]).ToList());
}
