using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.MemoryModels;

/// <summary>
/// The correct model under x86 store buffers and under arm: every default scenario, with the kernel's barriers where
/// the kernel has them (set_current_state's smp_store_mb, try_to_wake_up's and schedule()'s full barriers,
/// unlock_page's clear_bit_unlock and its barrier before waking, locks, locked atomics), runs clean under pct, pos
/// and random, as it does under sequential consistency.
/// </summary>
public sealed class CorrectModelUnderWeakMemoryTests
{
    private const int Schedules = 300;

    [Theory]
    [InlineData("pct", 21UL, MemoryModel.Tso)]
    [InlineData("pos", 22UL, MemoryModel.Tso)]
    [InlineData("random", 23UL, MemoryModel.Tso)]
    [InlineData("pct", 24UL, MemoryModel.Arm)]
    [InlineData("pos", 25UL, MemoryModel.Arm)]
    [InlineData("random", 26UL, MemoryModel.Arm)]
    public void The_correct_model_campaign_reports_nothing_under_a_weak_model(string strategy, ulong seed, MemoryModel model)
    {
        var result = Campaign.Model.Run(
            new CampaignRequest { Strategy = strategy, Iterations = Schedules, Seed = seed, MemoryModel = model },
            new CampaignRunOptions { Workers = Environment.ProcessorCount });

        Assert.True(result.ExitCode == ExitCodes.Clean,
            string.Join("\n", result.Bugs.Select(j => $"{j.Job.Label} ({strategy} seed {seed}, {model}): {j.Bug}")) + (result.Failure?.ToString() ?? ""));
        Assert.All(result.Jobs, j => Assert.Equal(Schedules, j.Iterations));
    }
}
