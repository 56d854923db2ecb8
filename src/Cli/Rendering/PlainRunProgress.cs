using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.Cli.Rendering;

/// <summary>
/// Progress as plain lines, for logs and CI: one when a job starts, one every <see cref="Interval"/> while it runs,
/// one when it ends. Never rewrites a line, so a log file reads top to bottom.
/// </summary>
internal sealed class PlainRunProgress(TextWriter writer) : IRunProgress
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private int _bugs;

    public IJobProgress StartJob(TestJob job, int index, int count, int iterations, TimeSpan? timeShare)
    {
        var prefix = $"[{index + 1}/{count}] {job.Label} ({job.Strategy})";
        var limit = timeShare is { } t ? $", up to {Numbers.Seconds(t)}" : "";
        writer.WriteLine($"{prefix}: started, budget {Numbers.Count(iterations)} iterations{limit}");
        return new Job(this, prefix);
    }

    private sealed class Job(PlainRunProgress owner, string prefix) : IJobProgress
    {
        private TimeSpan _next = Interval;

        public void Update(int iterations, TimeSpan elapsed)
        {
            if (elapsed < _next) return;
            _next = elapsed + Interval;
            var rate = elapsed.TotalSeconds > 0 ? iterations / elapsed.TotalSeconds : 0;
            owner.Write($"{prefix}: {Numbers.Count(iterations)} iterations, {Numbers.Rate(rate)} schedules/s, " +
                        $"{Numbers.Seconds(elapsed)}, bugs so far: {Volatile.Read(ref owner._bugs)}");
        }

        public void Finish(JobOutcome outcome)
        {
            if (outcome.Bug is not null) Interlocked.Increment(ref owner._bugs);
            owner.Write($"{prefix}: {Verdict.Result(outcome)} after {Numbers.Count(outcome.Iterations)} iterations, " +
                        $"{Numbers.Rate(outcome.SchedulesPerSecond)} schedules/s, {Numbers.Seconds(outcome.Elapsed)}");
        }
    }

    private void Write(string line)
    {
        lock (writer) writer.WriteLine(line);
    }
}
