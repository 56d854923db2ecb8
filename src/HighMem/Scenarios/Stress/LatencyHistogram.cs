namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// A log-linear histogram of latencies in nanoseconds (8 sub-buckets per power of two, ≤ 9% error). Recording is
/// thread-safe and lock-free (the tasks of one CPU share its histogram); reading is for after the run.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private readonly long[] _counts = new long[64 * SubBuckets];
    private long _max;

    public void Record(long nanoseconds)
    {
        var ns = Math.Max(1, nanoseconds);
        Interlocked.Increment(ref _counts[Bucket(ns)]);
        var max = Volatile.Read(ref _max);
        while (ns > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, ns, max);
            if (seen == max) break;
            max = seen;
        }
    }

    public void MergeInto(LatencyHistogram total)
    {
        for (var i = 0; i < _counts.Length; i++) total._counts[i] += Volatile.Read(ref _counts[i]);
        total._max = Math.Max(total._max, Volatile.Read(ref _max));
    }

    public LatencySummary Summarize()
    {
        var count = _counts.Sum();
        return new LatencySummary(count, Percentile(count, 0.50), Percentile(count, 0.90), Percentile(count, 0.99), _max);
    }

    /// <summary>
    /// The counts per power of two, [2^k, 2^(k+1)) ns, from the lowest non-empty one to the highest: coarse enough to
    /// draw, fine enough to show a second mode (a sleep on pkmap_map_wait beside a lock spin).
    /// </summary>
    public IReadOnlyList<LatencyBucket> PowersOfTwo()
    {
        var perPower = new long[64];
        for (var i = 0; i < _counts.Length; i++) perPower[i / SubBuckets] += Volatile.Read(ref _counts[i]);
        var first = Array.FindIndex(perPower, c => c > 0);
        if (first < 0) return [];
        var last = Array.FindLastIndex(perPower, c => c > 0);
        return Enumerable.Range(first, last - first + 1)
            .Select(k => new LatencyBucket(Math.Pow(2, k), Math.Pow(2, k + 1), perPower[k])).ToList();
    }

    private double Percentile(long count, double q)
    {
        if (count == 0) return 0;
        var target = (long)Math.Ceiling(q * count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target) return Math.Min(UpperBound(i), _max);
        }
        return _max;
    }

    private static int Bucket(long ns)
    {
        var log = 63 - (int)long.LeadingZeroCount(ns);
        var sub = log < 3 ? (int)(ns & 7) : (int)((ns >> (log - 3)) & 7);
        return log * SubBuckets + sub;
    }

    private static double UpperBound(int bucket)
    {
        var log = bucket / SubBuckets;
        var sub = bucket % SubBuckets;
        return log < 3 ? sub + 1 : (8 + sub + 1) * Math.Pow(2, log - 3);
    }
}
