namespace HighMemConcurrency.Campaigns;

/// <summary>Adds up per-event iteration counts (<c>TestReport.Coverage</c>) of the parts of a job.</summary>
internal static class CoverageCounts
{
    /// <summary>Per event, the sum over <paramref name="parts"/> (a missing part counts nothing), in ordinal order of the name.</summary>
    public static IReadOnlyDictionary<string, int> Sum(IEnumerable<IReadOnlyDictionary<string, int>?> parts)
    {
        var sum = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
            if (part is not null)
                foreach (var (name, count) in part) sum[name] = sum.GetValueOrDefault(name) + count;
        return sum;
    }
}
