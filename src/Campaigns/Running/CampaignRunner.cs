using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Runs a plan's work units on <c>workers</c> threads and reports what a serial run over the same iterations reports.
/// Workers take the next unit of the earliest job that has one, so they share a job's blocks before moving on; a
/// unit that ends its job (a bug, an exhausted space) cancels the job's later units, and the job's outcome is
/// assembled once every earlier unit is in (<see cref="JobAssembly"/>). The self-check tries a variant's next
/// scenario only once the earlier ones missed it, as serially. With a <see cref="Shard"/>, only its units run and
/// every job is tried (the merge decides what counts). Outcomes accumulate as jobs finish, so a failure or Ctrl+C
/// part-way still leaves everything found so far for the summary.
/// </summary>
internal sealed class CampaignRunner
{
    private readonly TestPlan _plan;
    private readonly CampaignRequest _request;
    private readonly ITestEngine _engine;
    private readonly RunOutput? _output;
    private readonly TimeProvider _time;
    private readonly int _workers;
    private readonly Shard? _shard;
    private readonly JobState[] _jobs;
    private readonly object _gate = new();
    private readonly HashSet<string> _foundVariants = new(StringComparer.Ordinal);
    private TimeBudget? _budget;
    private IRunProgress? _progress;
    private CancellationToken _cancellation;
    private Exception? _failure;
    private int _failedJob = int.MaxValue;   // a job whose unit threw: it and the jobs after it are not reported, as serially
    private int _inFlight;
    private int _shown;

    private readonly Func<int, int> _traceNumber;

    /// <summary>
    /// A runner of <paramref name="plan"/> that writes its traces to <paramref name="output"/> (none when null); a trace
    /// is numbered by <paramref name="traceNumber"/> from its job's index (default: the job's number in the plan, the
    /// same however the campaign is spread out).
    /// </summary>
    public CampaignRunner(TestPlan plan, CampaignRequest request, RunOutput? output, TimeProvider time, int workers = 1, Shard? shard = null,
        Func<int, int>? traceNumber = null)
    {
        _traceNumber = traceNumber ?? (index => index + 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _plan = plan;
        _request = request;
        _engine = CampaignEngines.Find(request.Engine);
        _output = output;
        _time = time;
        _shard = shard;
        var units = CampaignUnits.Of(plan, request).Where(u => shard is null || shard.Contains(u)).ToLookup(u => u.Job);
        _jobs = plan.Jobs.Select((job, i) => new JobState(i, job, units[i].ToList(), CampaignUnits.Slices(job, request).Count)).ToArray();
        // Both engines run side by side in one process (each Coyote TestingEngine keeps its runtime to itself:
        // tests/Systematic.Coyote.Tests/ConcurrentRunTests.cs), so workers take Coyote's jobs too, a job a unit.
        _workers = Math.Max(1, Math.Min(workers, _jobs.Sum(j => j.Units.Count)));
    }

    /// <summary>Outcomes of the jobs run so far, in plan order.</summary>
    public IReadOnlyList<JobOutcome> Outcomes
    {
        get
        {
            lock (_gate) return _jobs.Take(_failedJob).Where(j => j.Outcome is not null).Select(j => j.Outcome!).ToList();
        }
    }

    /// <summary>The unit results that count, in campaign order (a shard's summary lists them for the merge).</summary>
    public IReadOnlyList<UnitResult> CountedUnits
    {
        get
        {
            lock (_gate) return _jobs.Take(_failedJob).SelectMany(j => JobAssembly.Counted(j.Results.OfType<UnitResult>())).ToList();
        }
    }

    /// <summary>True when Ctrl+C stopped the run before every job ran.</summary>
    public bool Canceled { get; private set; }

    public void Run(IRunProgress progress, CancellationToken cancellation)
    {
        _progress = progress;
        _cancellation = cancellation;
        _budget = new TimeBudget(_request.TimeLimit, _time);
        var threads = Enumerable.Range(1, _workers - 1).Select(n => new Thread(Work) { Name = $"hmc test worker {n}", IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        Work();
        foreach (var t in threads) t.Join();
        lock (_gate)
        {
            // Jobs cut short by Ctrl+C or a failure still report what their units did; those that did not run say canceled.
            foreach (var j in _jobs.Take(_failedJob).Where(j => j.Started && j.Outcome is null))
            {
                for (var p = 0; p < j.Units.Count && p <= j.EndsAt; p++)
                    j.Results[p] ??= new UnitResult(j.Units[p], 0, 0, TimeSpan.Zero, JobStop.Canceled, null, null);
                Complete(j);
            }
            Canceled = cancellation.IsCancellationRequested && _jobs.Any(j => !j.Finished);
        }
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
    }

    private void Work()
    {
        while (true)
        {
            JobState job;
            WorkUnit unit;
            int position;
            TimeSpan? limit;
            CancellationTokenSource stop;
            lock (_gate)
            {
                while (!TryTake(out job, out position))
                {
                    if (_inFlight == 0) return;
                    Monitor.Wait(_gate);
                }
                unit = job.Units[position];
                limit = TimeLimitOf(job, unit);
                stop = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
                job.Running[position] = stop;
                _inFlight++;
            }
            UnitResult? result = null;
            try
            {
                result = limit is { } l && l <= TimeSpan.Zero
                    ? UnitResult.OutOfTime(unit)
                    : UnitRunner.Run(job.Job, unit, _engine, limit, new UnitProgress(job, unit, _time), stop.Token);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    // The earliest failing job's error is the run's; the jobs before it still finish, as serially.
                    if (job.Index < _failedJob)
                    {
                        _failedJob = job.Index;
                        _failure = e;
                    }
                    foreach (var j in _jobs.Skip(_failedJob)) j.CancelRunning(int.MinValue);
                }
            }
            lock (_gate)
            {
                _inFlight--;
                job.Running.Remove(position);
                stop.Dispose();
                job.EndUnit(unit);
                if (result is not null) Record(job, position, result);
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>The next unit to run: the earliest job's next unit before the point where that job already ended.</summary>
    private bool TryTake(out JobState job, out int position)
    {
        job = null!;
        position = -1;
        if (_cancellation.IsCancellationRequested) return false;
        foreach (var j in _jobs.Take(_failedJob))
        {
            if (j.Finished) continue;
            if (!j.Started && !TryStart(j)) continue;
            if (j.Next >= j.Units.Count || j.Next > j.EndsAt) continue;
            job = j;
            position = j.Next++;
            return true;
        }
        return false;
    }

    /// <summary>Starts a job when it may run; false while it must wait (or was skipped, or has nothing to run).</summary>
    private bool TryStart(JobState j)
    {
        if (j.Job.Rejected is not null)
        {
            j.Outcome = new JobOutcome(j.Job, [], null, null);
            j.Finished = true;
            return false;
        }
        if (_shard is null && _plan.Mode == TestMode.SelfCheck && j.Job.Variant is { } v)
        {
            // As serially: a variant's next scenario runs only once the earlier ones are done and missed it.
            if (_foundVariants.Contains(v.Name))
            {
                j.Finished = true;
                return false;
            }
            if (_jobs.Take(j.Index).Any(e => e.Job.Variant?.Name == v.Name && !e.Finished)) return false;
        }
        if (j.Units.Count == 0)
        {
            // A shard with none of this job's units.
            j.Finished = true;
            return false;
        }
        var parts = RemainingParts(j.Index);
        j.Share = _budget!.NextShare(parts);
        j.StartedAt = _time.GetTimestamp();
        // A shard runs only its units of the job: its progress counts those.
        j.Progress = _progress!.StartJob(j.Job, _shown, _shown + parts, j.Units.Sum(u => u.Iterations), j.Share);
        _shown++;
        j.Started = true;
        return true;
    }

    /// <summary>
    /// Jobs still to run from job <paramref name="index"/> on (a job the planner rejected takes no time and shows no
    /// progress). In the self-check a variant's other scenarios only run when the first misses it, so a variant
    /// counts once: this is both how many parts share the time left and how many jobs the progress counter expects.
    /// </summary>
    private int RemainingParts(int index)
    {
        var rest = _jobs.Skip(index).Where(j => j.Job.Rejected is null && j.Units.Count > 0 && !j.Started && !j.Finished).Select(j => j.Job);
        return Math.Max(1, _plan.Mode != TestMode.SelfCheck || _shard is not null
            ? rest.Count()
            : rest.Select(j => j.Variant!.Name).Where(v => !_foundVariants.Contains(v)).Distinct().Count());
    }

    /// <summary>
    /// A unit's share of the time limit: a job's slices share its time as serially (each an equal part of what is
    /// left when it starts); a slice's later blocks run until the slice's deadline. Zero or less: the slice's time is spent.
    /// </summary>
    private TimeSpan? TimeLimitOf(JobState job, WorkUnit unit)
    {
        if (job.Share is not { } share) return null;
        var now = _time.GetTimestamp();
        if (!job.SliceDeadlines.TryGetValue(unit.SliceIndex, out var deadline))
        {
            var left = share - _time.GetElapsedTime(job.StartedAt, now);
            var slice = left / (job.SliceCount - unit.SliceIndex);
            // The engine runs at least one iteration under any limit; a slice always gets that much.
            if (slice < TimeBudget.Minimum) slice = TimeBudget.Minimum;
            deadline = now + (long)(slice.TotalSeconds * _time.TimestampFrequency);
            job.SliceDeadlines[unit.SliceIndex] = deadline;
            return slice;
        }
        return TimeSpan.FromSeconds((double)(deadline - now) / _time.TimestampFrequency);
    }

    private void Record(JobState job, int position, UnitResult result)
    {
        if (position > job.EndsAt) return;   // superseded by an earlier unit that ended the job
        job.Results[position] = result;
        job.AddDone(result.Iterations);
        if (result.EndsJob && position < job.EndsAt)
        {
            job.EndsAt = position;
            job.CancelRunning(position);
        }
        while (job.Contiguous < job.Units.Count && job.Results[job.Contiguous] is not null) job.Contiguous++;
        var last = Math.Min(job.EndsAt, job.Units.Count - 1);
        if (job.Outcome is null && job.Contiguous > last) Complete(job);
    }

    private void Complete(JobState job)
    {
        var counted = JobAssembly.Counted(job.Results.OfType<UnitResult>());
        string? path = null;
        if (_output is not null && counted.Count > 0 && counted[^1].Bug is { } bug)
        {
            var unit = counted[^1].Unit;
            path = _output.WriteTrace(bug.TraceJson, stamp => TraceFileNamer.TraceName(stamp, _traceNumber(job.Index), job.Job.Scenario.Name,
                job.Job.Parameters.Variant, bug.Kind, unit.Slice.Strategy, unit.Slice.Seed, bug.Iteration));
        }
        job.Outcome = JobAssembly.Outcome(job.Job, counted, path);
        job.Finished = job.Outcome.Stop != JobStop.Canceled;
        job.Progress?.Finish(job.Outcome);
        if (job.Outcome.FoundAsExpected) _foundVariants.Add(job.Job.Variant!.Name);
    }

    /// <summary>A job's progress while its units run: the iterations of finished units plus those of running ones.</summary>
    private sealed class JobState(int index, TestJob job, List<WorkUnit> units, int sliceCount)
    {
        private readonly object _progressLock = new();
        private readonly Dictionary<int, int> _live = [];
        private int _done;

        public int Index { get; } = index;
        public TestJob Job { get; } = job;
        public List<WorkUnit> Units { get; } = units;
        public int SliceCount { get; } = sliceCount;
        public UnitResult?[] Results { get; } = new UnitResult?[units.Count];
        public Dictionary<int, CancellationTokenSource> Running { get; } = [];
        public Dictionary<int, long> SliceDeadlines { get; } = [];
        public int Next { get; set; }
        /// <summary>How many units from the first have results.</summary>
        public int Contiguous { get; set; }
        /// <summary>Position of the first unit that ended the job; past the end while none has.</summary>
        public int EndsAt { get; set; } = int.MaxValue;
        public bool Started { get; set; }
        public bool Finished { get; set; }
        public long StartedAt { get; set; }
        public TimeSpan? Share { get; set; }
        public IJobProgress? Progress { get; set; }
        public JobOutcome? Outcome { get; set; }

        public void CancelRunning(int after)
        {
            foreach (var (position, source) in Running)
                if (position > after) source.Cancel();
        }

        public void Report(WorkUnit unit, int iterations, TimeSpan elapsed)
        {
            lock (_progressLock)
            {
                _live[unit.Index] = iterations;
                Progress?.Update(_done + _live.Values.Sum(), elapsed);
            }
        }

        public void AddDone(int iterations)
        {
            lock (_progressLock) _done += iterations;
        }

        public void EndUnit(WorkUnit unit)
        {
            lock (_progressLock) _live.Remove(unit.Index);
        }
    }

    private sealed class UnitProgress(JobState job, WorkUnit unit, TimeProvider time) : IProgress<TestProgress>
    {
        public void Report(TestProgress value) => job.Report(unit, value.IterationsRun, time.GetElapsedTime(job.StartedAt));
    }
}
