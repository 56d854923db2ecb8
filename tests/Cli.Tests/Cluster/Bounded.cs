using System.Diagnostics;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// Waiting on something outside the test (a daemon, a scheduler) by polling it, never by sleeping a fixed time:
/// each wait has a limit and fails with a message saying what did not happen and what was seen last.
/// </summary>
internal static class Bounded
{
    /// <summary>How often a condition is asked again; short against the seconds a daemon or a job takes.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Asks <paramref name="probe"/> until it returns <c>Done</c>, at most <paramref name="limit"/>; a probe may also
    /// fail the wait at once (<c>Failed</c>: e.g. a daemon exited). The failure names <paramref name="what"/>, the
    /// limit and the probe's last <c>Seen</c>.
    /// </summary>
    public static async Task Until(string what, TimeSpan limit, Func<Task<Probe>> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var last = await probe();
            if (last.Done) return;
            if (last.Failed) Assert.Fail($"{what}: gave up after {clock.Elapsed.TotalSeconds:0.0} s\n{last.Seen}");
            if (clock.Elapsed > limit) Assert.Fail($"{what}: not within {limit.TotalSeconds:0} s\n{last.Seen}");
            await Task.Delay(Interval);
        }
    }
}

/// <summary>One look at a condition: met, hopeless, or not yet, with what was seen.</summary>
internal readonly record struct Probe(bool Done, bool Failed, string Seen)
{
    public static Probe Met => new(true, false, "");

    public static Probe NotYet(string seen) => new(false, false, seen);

    public static Probe Hopeless(string seen) => new(false, true, seen);
}
