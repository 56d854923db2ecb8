using HighMemConcurrency.Cli.Parsing;

namespace HighMemConcurrency.Cli.Tests.Unit;

/// <summary>Where a shard comes from: the option, a Kubernetes Indexed Job or a Slurm array; bad values are one-line usage errors.</summary>
public sealed class ShardSourceTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("3/4", 3, 4)]
    public void The_option_is_K_of_N(string text, int number, int count) =>
        Assert.Equal(new Shard(number, count), ShardSource.Resolve(text, null, Env(("JOB_COMPLETION_INDEX", "7"))));

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/4")]
    public void A_bad_option_is_refused(string text) =>
        Assert.Contains("--shard expects K/N", Assert.Throws<UsageException>(() => ShardSource.Resolve(text, null, Env())).Message);

    [Fact]
    public void A_kubernetes_index_is_0_based_with_the_count_from_the_option_or_HMC_SHARDS()
    {
        Assert.Equal(new Shard(1, 4), ShardSource.Resolve(null, 4, Env(("JOB_COMPLETION_INDEX", "0"))));
        Assert.Equal(new Shard(4, 4), ShardSource.Resolve(null, null, Env(("JOB_COMPLETION_INDEX", "3"), ("HMC_SHARDS", "4"))));
        Assert.Contains("--shards N or set HMC_SHARDS",
            Assert.Throws<UsageException>(() => ShardSource.Resolve(null, null, Env(("JOB_COMPLETION_INDEX", "3")))).Message);
        Assert.Contains("outside 4 shards",
            Assert.Throws<UsageException>(() => ShardSource.Resolve(null, 4, Env(("JOB_COMPLETION_INDEX", "4")))).Message);
    }

    [Fact]
    public void A_slurm_array_counts_from_its_minimum_in_its_steps()
    {
        Assert.Equal(new Shard(2, 4), ShardSource.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"))));
        Assert.Equal(new Shard(1, 4), ShardSource.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "1"))));
        Assert.Equal(new Shard(3, 4), ShardSource.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "4"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"), ("SLURM_ARRAY_TASK_STEP", "2"))));
        Assert.Throws<UsageException>(() => ShardSource.Resolve(null, null, Env(("SLURM_ARRAY_TASK_ID", "1"))));
        Assert.Throws<UsageException>(() => ShardSource.Resolve(null, null,
            Env(("SLURM_ARRAY_TASK_ID", "x"), ("SLURM_ARRAY_TASK_COUNT", "4"))));
    }

    [Fact]
    public void Nothing_set_is_no_shard_and_shards_alone_is_refused()
    {
        Assert.Null(ShardSource.Resolve(null, null, Env()));
        Assert.Throws<UsageException>(() => ShardSource.Resolve(null, 4, Env()));
        Assert.Throws<UsageException>(() => ShardSource.Resolve("1/3", 4, Env()));
    }
}
