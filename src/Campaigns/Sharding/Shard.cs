namespace HighMemConcurrency.Campaigns;

/// <summary>
/// The <paramref name="Number"/>-th (1-based) of <paramref name="Count"/> disjoint slices of a campaign: the units
/// whose campaign index is <c>Number - 1</c> modulo <c>Count</c>, so that every shard gets blocks of every job and
/// the shards together run each unit exactly once.
/// </summary>
public sealed record Shard(int Number, int Count)
{
    /// <summary>Whether this shard runs <paramref name="unit"/>.</summary>
    public bool Contains(WorkUnit unit) => unit.Index % Count == Number - 1;

    /// <summary><c>K/N</c>, as <c>--shard</c> takes it.</summary>
    public override string ToString() => $"{Number}/{Count}";
}
