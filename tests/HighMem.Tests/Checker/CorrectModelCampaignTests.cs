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
}
