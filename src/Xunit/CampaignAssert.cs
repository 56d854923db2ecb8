using System.Text;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Systematic.Tracing;

namespace HighMemConcurrency.Xunit;

/// <summary>
/// A campaign as an xunit assertion. The catalog is the test suite's own (a public <see cref="ICatalog"/> in the test
/// assembly), run as if <c>hmc --load</c> had loaded it, so that a bug's trace replays with the command the failure
/// prints:
/// <code>
/// [Fact]
/// public void The_counter_is_never_lost() => CampaignAssert.NoBug(new CounterCatalog(), new() { Scenario = "locked-counter" });
///
/// [Fact]
/// public void Unlocked_add_loses_an_update() => CampaignAssert.FindsBug(new CounterCatalog(), new() { Variant = "unlocked-add" });
/// </code>
/// Both engines may run in tests side by side (xunit's default); bad input is a <see cref="CampaignException"/>.
/// </summary>
public static class CampaignAssert
{
    /// <summary>
    /// Runs <paramref name="request"/> on <paramref name="catalog"/> and passes when it is clean (for a self-check,
    /// <c>Variant = "all"</c>: when every variant was found as declared). Otherwise throws
    /// <see cref="CampaignFailedException"/> with each bug's kind, message, last steps, trace file and replay command.
    /// </summary>
    public static CampaignResult NoBug(ICatalog catalog, CampaignRequest request, XunitCampaignOptions? options = null)
    {
        options ??= new XunitCampaignOptions();
        var result = Run(catalog, request, options);
        if (result.ExitCode == ExitCodes.Clean) return result;
        throw Fail(result, options, result.Bugs.Count > 0 ? "found a bug" : "failed");
    }

    /// <summary>
    /// Runs <paramref name="request"/> — a variant switched on, typically — and passes when a job found a bug: the
    /// variant's declared kind when it has one, any bug on the correct model. Returns that job (its bug, trace path and
    /// replay command); throws <see cref="CampaignFailedException"/> when nothing was found, or the wrong kind.
    /// </summary>
    public static JobOutcome FindsBug(ICatalog catalog, CampaignRequest request, XunitCampaignOptions? options = null)
    {
        options ??= new XunitCampaignOptions();
        var result = Run(catalog, request, options);
        if (result.Failure is not null) throw Fail(result, options, "failed");
        var found = result.Jobs.FirstOrDefault(j => j.Bug is not null && (j.Job.Variant is null || j.FoundAsExpected));
        if (found is not null) return found;
        throw Fail(result, options, "found no bug of the kind expected");
    }

    private static CampaignResult Run(ICatalog catalog, CampaignRequest request, XunitCampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var campaign = new Campaign(AssemblyCatalog.Of(catalog));
        var result = campaign.Run(request, new CampaignRunOptions
        {
            Workers = options.Workers,
            Output = RunOutput.Open(Path.Combine(options.OutputDirectory, Folder(request)), DateTimeOffset.UtcNow),
        });
        options.Output?.WriteLine(Verdict(result));
        return result;
    }

    /// <summary>
    /// A folder per request (<c>locked-counter_unlocked-add_s1</c>): tests run side by side, and two runs that open one
    /// folder in the same millisecond would share a run stamp. Only the same request can share a folder, and its
    /// traces are the same bytes.
    /// </summary>
    private static string Folder(CampaignRequest request) =>
        $"{request.Scenario ?? "default"}_{request.Variant ?? "none"}_{request.Engine}_{request.Strategy ?? "portfolio"}_s{request.Seed}";

    private static string Verdict(CampaignResult result) =>
        $"hmc {result.Outcome}: " + string.Join("; ", result.Jobs.Select(j => $"{j.Job.Label} ({j.Job.Strategy}): {Campaigns.Verdict.Result(j)}"));

    private static CampaignFailedException Fail(CampaignResult result, XunitCampaignOptions options, string what)
    {
        var text = new StringBuilder($"the campaign {what}: {Verdict(result)}\n");
        if (result.Failure is { } failure) text.Append($"the tool failed: {failure.GetType().Name}: {failure.Message}\n");
        foreach (var job in result.Jobs.Where(j => j.Bug is not null)) text.Append('\n').Append(BugText(job, options.LastSteps));
        foreach (var job in result.Jobs.Where(j => j.Job.Variant is { } v && j.Bug is null))
            text.Append($"\n{job.Job.Label}: {Campaigns.Verdict.Result(job)}, expected {job.Job.Variant!.ExpectedKind}\n");
        var message = text.ToString();
        options.Output?.WriteLine(message);
        return new CampaignFailedException(message);
    }

    /// <summary>A bug as a failure shows it: what, where, the last steps, the trace and the command that replays it.</summary>
    private static string BugText(JobOutcome job, int lastSteps)
    {
        var bug = job.Bug!;
        var slice = job.FindingSlice!;
        var text = new StringBuilder()
            .Append($"{bug.Kind} in {job.Job.Label}, iteration {bug.Iteration} ({slice.Strategy}, seed {slice.Seed}): {bug.Message}\n")
            .Append($"last {Math.Min(lastSteps, bug.Steps.Count)} of {bug.Steps.Count} steps:\n")
            .Append(InterleavingFormatter.Format(bug.Steps.TakeLast(lastSteps).ToList()));
        if (job.TracePath is { } path)
            text.Append($"trace:  {path}\n").Append($"replay: {TraceFileNamer.ReplayCommand(path, job.Job.Scenario)}\n");
        return text.ToString();
    }
}
