namespace HighMemConcurrency.Cli.Testing;

/// <summary>
/// How a campaign is spread out, which never changes what it finds: <paramref name="Workers"/> threads in this
/// process and, for a sharded campaign, the slice of it this process runs.
/// </summary>
/// <param name="Workers">Worker threads (<c>--parallel</c>).</param>
/// <param name="Shard">This process's shard, or null for the whole campaign.</param>
internal sealed record RunLayout(int Workers, Shard? Shard = null)
{
    /// <summary>One worker, the whole campaign.</summary>
    public static RunLayout Serial { get; } = new(1);
}
