using Xunit.Abstractions;

namespace HighMemConcurrency.Xunit;

/// <summary>How <see cref="CampaignAssert"/> runs a campaign inside a test. Immutable.</summary>
public sealed record XunitCampaignOptions
{
    /// <summary>The test's output (xunit's <see cref="ITestOutputHelper"/>): the verdict and any bug's text go there too.</summary>
    public ITestOutputHelper? Output { get; init; }

    /// <summary>
    /// Where traces and the JSON summary go, in a folder per request (scenario, variant, engine, strategy, seed): by
    /// default <c>hmc-out</c> beside the test assembly.
    /// </summary>
    public string OutputDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "hmc-out");

    /// <summary>
    /// Workers for the campaign's jobs (1 by default: xunit already runs test classes side by side, and each run is
    /// independent of the others on either engine).
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>How many of the failing interleaving's last steps the failure text shows.</summary>
    public int LastSteps { get; init; } = 15;
}
