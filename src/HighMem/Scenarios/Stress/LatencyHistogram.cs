namespace HighMemConcurrency.HighMem.Scenarios.Stress;

/// <summary>
/// A log-linear histogram of latencies in nanoseconds (8 sub-buckets per power of two, ≤ 9% error), one per task so
/// recording never contends; merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private readonly long[] _counts = new long[64 * SubBuckets];
    private long _max;

    public void Record(long nanoseconds)
    {
        var ns = Math.Max(1, nanoseconds);
        _counts[Bucket(ns)]++;
        if (ns > _max) _max = ns;
    }

    public void MergeInto(LatencyHistogram total)
    {
        for (var i = 0; i < _counts.Length; i++) total._counts[i] += _counts[i];
        total._max = Math.Max(total._max, _max);
    }

    public LatencySummary Summarize()
    {
        var count = _counts.Sum();
        return new LatencySummary(count, Percentile(count, 0.50), Percentile(count, 0.90), Percentile(count, 0.99), _max);
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
