using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests.Checker;

/// <summary>
/// Every default scenario declares the kernel events it is there to reach (<see cref="Scenario.Events"/>), each once;
/// that the default campaign reaches them all (so a typo, a name no counter bumps, fails) is
/// <see cref="CorrectModelCampaignTests.The_default_campaign_reports_nothing_and_reaches_every_declared_event"/>.
/// </summary>
public sealed class DeclaredEventsTests
{
    [Fact]
    public void Every_scenario_declares_events_and_each_once()
    {
        Assert.All(Catalog.Scenarios, s =>
        {
            Assert.NotEmpty(s.Events);
            Assert.Equal(s.Events.Count, s.Events.Distinct(StringComparer.Ordinal).Count());
        });
    }
}
