using HighMemConcurrency.Tests.Fakes;

namespace HighMemConcurrency.Campaigns.Tests.Stress;

/// <summary>
/// A stress failure's search for a schedule (<see cref="Campaign.ReproduceStress"/>) reports how it ended, also when
/// Ctrl+C came before it ran a single iteration.
/// </summary>
public sealed class StressReproductionTests
{
    private static readonly Campaign Counter = new(TestCatalog.Standard());

    [Fact]
    public void A_search_canceled_before_its_first_iteration_says_canceled_and_ran_nothing()
    {
        var request = new StressRequest { Scenario = "counter", Variant = "split-add", ReproduceFor = TimeSpan.FromMinutes(1) };
        var target = Counter.ResolveStress(request);
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        var reproduction = Campaign.ReproduceStress(target, request, output: null, cancellation: canceled.Token);

        Assert.Equal(ReproductionStatus.Canceled, reproduction.Status);
        Assert.Equal((0, JobStop.Canceled, null), (reproduction.Outcome!.Iterations, reproduction.Outcome.Stop, reproduction.Outcome.Bug));
    }

    [Fact]
    public void A_search_that_runs_finds_the_variants_bug()
    {
        var request = new StressRequest { Scenario = "counter", Variant = "split-add", ReproduceFor = TimeSpan.FromMinutes(1), Seed = 3 };

        var reproduction = Campaign.ReproduceStress(Counter.ResolveStress(request), request, output: null);

        Assert.Equal(ReproductionStatus.Reproduced, reproduction.Status);
        Assert.NotNull(reproduction.Outcome!.Bug);
    }
}
