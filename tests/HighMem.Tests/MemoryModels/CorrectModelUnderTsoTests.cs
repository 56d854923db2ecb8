using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.MemoryModels;

/// <summary>
/// The correct model under x86 store buffers: every default scenario, with the kernel's barriers where the kernel has
/// them (set_current_state's smp_store_mb, unlock_page's barrier after clearing PG_locked, locks and locked atomics
/// as full barriers), runs clean under pct, pos and random, as it does under sequential consistency.
/// </summary>
public sealed class CorrectModelUnderTsoTests
{
    private const int Schedules = 300;

    [Theory]
    [InlineData("pct", 21UL)]
    [InlineData("pos", 22UL)]
    [InlineData("random", 23UL)]
    public void The_correct_model_campaign_reports_nothing_under_tso(string strategy, ulong seed)
    {
        var result = Campaign.Model.Run(
            new CampaignRequest { Strategy = strategy, Iterations = Schedules, Seed = seed, MemoryModel = MemoryModel.Tso },
            new CampaignRunOptions { Workers = Environment.ProcessorCount });

        Assert.True(result.ExitCode == ExitCodes.Clean,
            string.Join("\n", result.Bugs.Select(j => $"{j.Job.Label} ({strategy} seed {seed}, tso): {j.Bug}")) + (result.Failure?.ToString() ?? ""));
        Assert.All(result.Jobs, j => Assert.Equal(Schedules, j.Iterations));
    }
}
