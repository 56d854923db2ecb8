using HighMemConcurrency.Campaigns;
using System.Globalization;

namespace HighMemConcurrency.Cli.Parsing;

/// <summary>
/// Which shard this process runs: <c>--shard K/N</c>; else a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c>
/// (0-based) with the count from <c>--shards N</c> or <c>HMC_SHARDS</c>; else a Slurm job array's
/// <c>SLURM_ARRAY_TASK_ID</c> among <c>SLURM_ARRAY_TASK_COUNT</c> tasks, numbered from <c>SLURM_ARRAY_TASK_MIN</c> in steps
/// of <c>SLURM_ARRAY_TASK_STEP</c> (so <c>--array=1-4</c> and <c>--array=0-6:2</c> work too). None of them: no shard.
/// </summary>
internal static class ShardSource
{
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";
    public const string ShardCount = "HMC_SHARDS";
    public const string SlurmTaskId = "SLURM_ARRAY_TASK_ID";
    public const string SlurmTaskCount = "SLURM_ARRAY_TASK_COUNT";
    public const string SlurmTaskMin = "SLURM_ARRAY_TASK_MIN";
    public const string SlurmTaskStep = "SLURM_ARRAY_TASK_STEP";

    /// <summary>The shard, or null; a bad value is a <see cref="UsageException"/> naming where it came from.</summary>
    public static Shard? Resolve(string? shardOption, int? shardsOption, Func<string, string?> variable)
    {
        if (shardOption is not null)
        {
            var shard = Parse(shardOption);
            if (shardsOption is { } n && n != shard.Count)
                throw new UsageException($"--shard {shardOption} and --shards {n} disagree on the number of shards");
            return shard;
        }
        if (Value(variable, KubernetesIndex) is { } index)
        {
            var count = shardsOption ?? Number(variable, ShardCount, 1)
                ?? throw new UsageException($"{KubernetesIndex}={index} is set but not the number of shards: pass --shards N or set {ShardCount}");
            var i = Number(KubernetesIndex, index, 0);
            return i < count ? new Shard(i + 1, count)
                : throw new UsageException($"{KubernetesIndex}={i} is outside {count} shards (0 to {count - 1})");
        }
        if (shardsOption is not null)
            throw new UsageException($"--shards needs {KubernetesIndex} (a Kubernetes Indexed Job); elsewhere use --shard K/N");
        if (Value(variable, SlurmTaskId) is { } id)
        {
            var count = Number(variable, SlurmTaskCount, 1)
                ?? throw new UsageException($"{SlurmTaskId}={id} is set but not {SlurmTaskCount}");
            var task = Number(SlurmTaskId, id, 0);
            var min = Number(variable, SlurmTaskMin, 0) ?? 0;
            var step = Number(variable, SlurmTaskStep, 1) ?? 1;
            if (task < min || (task - min) % step != 0 || (task - min) / step >= count)
                throw new UsageException($"{SlurmTaskId}={task} is not one of {count} array tasks from {min} in steps of {step}");
            return new Shard((task - min) / step + 1, count);
        }
        return null;
    }

    /// <summary><c>K/N</c> with 1 ≤ K ≤ N.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new UsageException($"--shard expects K/N with 1 ≤ K ≤ N (the K-th of N shards), got '{text}'");
    }

    private static string? Value(Func<string, string?> variable, string name) =>
        variable(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;

    private static int? Number(Func<string, string?> variable, string name, int minimum) =>
        Value(variable, name) is { } v ? Number(name, v, minimum) : null;

    private static int Number(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum ? n
            : throw new UsageException($"{name} must be an integer ≥ {minimum}, got '{value}'");
}
