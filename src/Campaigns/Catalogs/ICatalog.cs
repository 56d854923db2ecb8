using HighMemConcurrency.HighMem.Scenarios;
using HighMemConcurrency.HighMem.Variants;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The scenarios and bug variants a campaign offers: the model's own (<see cref="ModelCatalog"/>), a test's small
/// catalog, or a user's scenarios built from the kernel runtime and the primitives (<see cref="TestBodyScenario"/>
/// turns a plain test body into one).
/// </summary>
public interface ICatalog
{
    /// <summary>Scenarios in listing order.</summary>
    IReadOnlyList<IScenario> Scenarios { get; }

    /// <summary>Bug variants in listing order.</summary>
    IReadOnlyList<BugVariant> Variants { get; }
}
