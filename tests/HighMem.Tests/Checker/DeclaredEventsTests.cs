using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Scenarios;

namespace HighMemConcurrency.HighMem.Tests.Checker;

/// <summary>
/// Every kernel event a default scenario declares (<see cref="Scenario.Events"/>) is reached by the default campaign's
/// portfolio within a few hundred schedules, so <c>hmc test</c>'s coverage flags nothing on the correct model — and a
/// declared name that no counter bumps (a typo) fails here.
/// </summary>
public sealed class DeclaredEventsTests
{
    [Fact]
    public void The_default_campaign_reaches_every_event_its_scenarios_declare()
    {
        var result = Campaign.Model.Run(new CampaignRequest { Iterations = 300, Seed = 7 }, new CampaignRunOptions { Workers = Environment.ProcessorCount });

        Assert.Equal(ExitCodes.Clean, result.ExitCode);
        Assert.All(result.Jobs, j => Assert.NotEmpty(j.Job.Scenario.Events));
        var unreached = result.Jobs.Where(j => j.Unreached.Count > 0).Select(j => $"{j.Job.Label}: {string.Join(", ", j.Unreached)}").ToList();
        Assert.True(unreached.Count == 0, "never reached: " + string.Join("; ", unreached));
    }

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
