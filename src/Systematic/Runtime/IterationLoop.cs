using System.Diagnostics;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// The bookkeeping of a run's iterations that both engines share: the clock, cancellation and the time limit, the
/// step, switch and iteration counts, progress every <see cref="TestOptions.ProgressInterval"/>, the first bug, why
/// the run stopped, and the final <see cref="TestReport"/>. It is pushed to, not a loop itself, because the engines
/// drive iterations differently: ours runs a for-loop, Coyote's <c>TestingEngine</c> runs its own and calls back at
/// the start and end of each iteration. Each engine tells it what happened and asks it whether to go on.
/// </summary>
/// <typeparam name="TBug">
/// What the engine keeps of the iteration that found the first bug until the run is over: ours has the report at
/// once; Coyote can only build it once its engine has written its reproducible trace, after the last iteration.
/// </typeparam>
internal sealed class IterationLoop<TBug>(TestOptions options) where TBug : class
{
    // Invariant: _stop is IterationBudget until a check or a bug says otherwise, and is never changed after.
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _nextProgress = options.ProgressInterval;
    private StopReason _stop = StopReason.IterationBudget;
    private readonly SortedDictionary<string, int> _coverage = new(StringComparer.Ordinal);

    /// <summary>Iterations that ran to their end (an iteration that found a bug included).</summary>
    public int Iterations { get; private set; }

    /// <summary>Scheduling steps of those iterations.</summary>
    public long Steps { get; private set; }

    /// <summary>Thread switches of those iterations.</summary>
    public long Switches { get; private set; }

    /// <summary>What the engine kept of the first bug the run stops at, or null.</summary>
    public TBug? Bug { get; private set; }

    /// <summary>
    /// Whether the next iteration may start: false, with the reason recorded, once <see cref="TestOptions.Cancellation"/>
    /// is cancelled or <see cref="TestOptions.TimeLimit"/> is spent (checked in that order), or when
    /// <paramref name="strategyHasIteration"/> (asked only when neither stops the run, as it prepares the iteration)
    /// says the strategy has no schedule left.
    /// </summary>
    public bool MayStart(Func<bool>? strategyHasIteration = null)
    {
        if (options.Cancellation.IsCancellationRequested) return Stop(StopReason.Canceled);
        if (options.TimeLimit is { } limit && _clock.Elapsed >= limit) return Stop(StopReason.TimeLimit);
        if (strategyHasIteration is not null && !strategyHasIteration()) return Stop(StopReason.Exhausted);
        return true;
    }

    /// <summary>
    /// An iteration ended after <paramref name="steps"/> steps and <paramref name="switches"/> switches, having
    /// reached the model events <paramref name="reached"/> (<see cref="Sim.Cover"/>). With a
    /// <paramref name="bug"/> the run stops there (returns false); otherwise progress is reported when due and the
    /// run goes on (returns true). An engine that passes a bug over (the minimizer looks for one bug among others)
    /// passes null.
    /// </summary>
    public bool Completed(long steps, long switches, TBug? bug, IReadOnlyCollection<string>? reached = null)
    {
        Iterations++;
        Steps += steps;
        Switches += switches;
        if (reached is not null)
            foreach (var e in reached) _coverage[e] = _coverage.GetValueOrDefault(e) + 1;
        if (bug is not null)
        {
            Bug ??= bug;
            return Stop(StopReason.BugFound);
        }
        if (options.Progress is { } progress && _clock.Elapsed >= _nextProgress)
        {
            progress.Report(new TestProgress(Iterations, Steps, _clock.Elapsed));
            _nextProgress = _clock.Elapsed + options.ProgressInterval;
        }
        return true;
    }

    /// <summary>
    /// Ends the run: reports the final progress and returns the report. <paramref name="report"/> turns the kept bug
    /// into its <see cref="BugReport"/>; a run that used up its budget with the strategy's space
    /// <paramref name="strategyExhausted"/> stopped because the space was exhausted.
    /// </summary>
    public TestReport Finish(Func<TBug, BugReport> report, string strategy, bool strategyExhausted = false,
        long? interleavings = null, string? strategySummary = null)
    {
        _clock.Stop();
        if (_stop == StopReason.IterationBudget && strategyExhausted) _stop = StopReason.Exhausted;
        options.Progress?.Report(new TestProgress(Iterations, Steps, _clock.Elapsed));
        var bug = Bug is null ? null : report(Bug);
        return new TestReport(bug, Iterations, Steps, Switches, _clock.Elapsed, _stop == StopReason.Exhausted, strategy, options.Seed, _stop,
            interleavings, strategySummary, _coverage);
    }

    private bool Stop(StopReason reason)
    {
        if (_stop == StopReason.IterationBudget) _stop = reason;
        return false;
    }
}
