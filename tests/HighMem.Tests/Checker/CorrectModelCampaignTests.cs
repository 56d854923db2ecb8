using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.HighMem.Tests.Checker;

/// <summary>
/// The correct-model campaign as a test: every default scenario under pct, pos and random for a few hundred schedules
/// each, fixed seeds, with nothing but the tool's own oracles (the invariants, the kernel's debug checks, deadlock and
/// livelock detection, checked reads). It must run clean. It is also the only test of <c>ci/mutation checker</c>,
/// which asks how many changes to the model this campaign reports — what a user who changes the kernel code and runs
/// <c>hmc test</c> would be told.
/// </summary>
public sealed class CorrectModelCampaignTests
{
    /// <summary>Schedules per scenario and strategy: enough to reach every declared event, small enough for every mutant.</summary>
    private const int Schedules = 300;

    [Theory]
    [InlineData("pct", 11UL)]
    [InlineData("pos", 12UL)]
    [InlineData("random", 13UL)]
    public void The_correct_model_campaign_reports_nothing(string strategy, ulong seed)
    {
        var result = Campaign.Model.Run(new CampaignRequest { Strategy = strategy, Iterations = Schedules, Seed = seed },
            new CampaignRunOptions { Workers = Environment.ProcessorCount });

        Assert.True(result.ExitCode == ExitCodes.Clean,
            string.Join("\n", result.Bugs.Select(j => $"{j.Job.Label} ({strategy} seed {seed}): {j.Bug}")) + (result.Failure?.ToString() ?? ""));
        Assert.All(result.Jobs, j => Assert.Equal(Schedules, j.Iterations));
    }

    /// <summary>
    /// What <c>hmc test</c> itself runs — the portfolio — reports no bug and flags no declared event as never reached:
    /// a change that makes a scenario stop reaching what it is there to reach (no sleep on pkmap_map_wait, no flush on
    /// wrap, no page read by vread) is in the report a user reads, so it counts as told.
    /// </summary>
    [Fact]
    public void The_default_campaign_reports_nothing_and_reaches_every_declared_event()
    {
        var result = Campaign.Model.Run(new CampaignRequest { Iterations = Schedules, Seed = 7 }, new CampaignRunOptions { Workers = Environment.ProcessorCount });

        Assert.True(result.ExitCode == ExitCodes.Clean,
            string.Join("\n", result.Bugs.Select(j => $"{j.Job.Label}: {j.Bug}")) + (result.Failure?.ToString() ?? ""));
        var unreached = result.Jobs.Where(j => j.Unreached.Count > 0).Select(j => $"{j.Job.Label}: {string.Join(", ", j.Unreached)}").ToList();
        Assert.True(unreached.Count == 0, "never reached: " + string.Join("; ", unreached));
    }
}
