using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Tests.Fakes;

/// <summary>A catalog built by a test: the campaign runs it, and the CLI's tests hand it to <c>CliApp.Build</c>.</summary>
internal sealed class TestCatalog(IReadOnlyList<IScenario> scenarios, IReadOnlyList<BugVariant> variants) : ICatalog
{
    public IReadOnlyList<IScenario> Scenarios => scenarios;

    public IReadOnlyList<BugVariant> Variants => variants;

    public static BugVariant SplitAdd { get; } = new("split-add", "reads then writes the counter: lost update",
        BugKind.AssertionFailure, "lost update", ["counter"], "random");

    public static BugVariant Unlocked { get; } = new("unlocked", "adds without the lock", BugKind.DataRace, "data race", ["counter"]);

    public static BugVariant Harmless { get; } = new("harmless", "documented as a deadlock, changes nothing", BugKind.Deadlock,
        "deadlock (never found)", ["counter"]);

    public static BugVariant StressOnly { get; } = new("stress-only", "fails under stress only", BugKind.AssertionFailure,
        "stress-only failure", ["counter"]);

    public static BugVariant Foreign { get; } = new("foreign", "a variant the counter scenarios do not know", BugKind.Deadlock,
        "deadlock (not applicable)", ["counter", "counter-b"]);

    /// <summary>Two scenarios and the two variants that can be found.</summary>
    public static TestCatalog Standard() =>
        new([new CounterScenario(), new CounterScenario("counter-b")], [SplitAdd, Unlocked]);

    /// <summary>The standard catalog plus a variant whose failure only stress sees.</summary>
    public static TestCatalog WithStressOnly() =>
        new([new CounterScenario(), new CounterScenario("counter-b")], [SplitAdd, Unlocked, StressOnly]);

    /// <summary>The standard catalog plus a variant nothing can find.</summary>
    public static TestCatalog WithUnfindable() =>
        new([new CounterScenario(), new CounterScenario("counter-b")], [SplitAdd, Unlocked, Harmless]);
}
