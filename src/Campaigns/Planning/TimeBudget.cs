namespace HighMemConcurrency.Campaigns;

/// <summary>
/// A wall-clock budget shared by parts that run one after another: each part gets an equal share of what is left,
/// so time a part did not use (a bug found early, a small space exhausted) goes to the parts after it.
/// </summary>
public sealed class TimeBudget(TimeSpan? total, TimeProvider time)
{
    // The engine needs a positive limit and runs at least one iteration under any limit.
    internal static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(1);
    private readonly long _start = time.GetTimestamp();

    /// <summary>The whole budget, or null for none.</summary>
    public TimeSpan? Total => total;

    /// <summary>The share of the next part when <paramref name="remainingParts"/> (it included) are still to run.</summary>
    public TimeSpan? NextShare(int remainingParts)
    {
        if (total is not { } t) return null;
        ArgumentOutOfRangeException.ThrowIfLessThan(remainingParts, 1);
        var left = t - time.GetElapsedTime(_start);
        var share = left / remainingParts;
        return share > Minimum ? share : Minimum;
    }
}
