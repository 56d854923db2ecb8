using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Xunit.Tests;

/// <summary>
/// <see cref="CampaignAssert"/> on the Coyote engine. A class of its own, so that xunit runs it beside
/// <see cref="CampaignAssertTests"/> (test classes run in parallel by default): campaigns of both engines side by side.
/// </summary>
public sealed class CoyoteCampaignAssertTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("hmc-xunit-coyote-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void NoBug_passes_on_the_correct_handoff()
    {
        var result = CampaignAssert.NoBug(new HandoffCatalog(),
            new() { Scenario = "flag-handoff", Iterations = 300, Seed = 2, Engine = CampaignEngines.Coyote }, new() { OutputDirectory = _out });

        Assert.Equal(300, Assert.Single(result.Jobs).Iterations);
    }

    [Fact]
    public void FindsBug_finds_the_lost_wakeup_with_a_coyote_trace()
    {
        var job = CampaignAssert.FindsBug(new HandoffCatalog(), CampaignAssertTests.Lost with { Engine = CampaignEngines.Coyote },
            new() { OutputDirectory = _out });

        Assert.Equal(BugKind.Deadlock, job.Bug!.Kind);
        Assert.Contains("\"engine\": \"coyote\"", File.ReadAllText(job.TracePath!));
    }
}
