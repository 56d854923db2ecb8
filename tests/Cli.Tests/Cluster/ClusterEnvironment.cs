using System.Collections;
using System.Diagnostics;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// The environment the cluster's daemons and client commands run with: this process's, with the cluster's
/// <c>SLURM_CONF</c>, and without any shard the test run itself may carry. sbatch hands the submitting
/// environment to the jobs, so a CI runner that is a Slurm task or a Kubernetes pod would otherwise pass on its
/// own SLURM_* or JOB_COMPLETION_INDEX (which wins over Slurm's) and every shard would be the same one.
/// </summary>
internal static class ClusterEnvironment
{
    public static Dictionary<string, string?> For(SlurmConfig config)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["JOB_COMPLETION_INDEX"] = null,
            ["HMC_SHARDS"] = null,
            ["SLURM_CONF"] = config.ConfFile,
        };
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string name && name.StartsWith("SLURM_", StringComparison.Ordinal) && name != "SLURM_CONF") env[name] = null;
        }
        // The documented scripts call `dotnet` from PATH: make it the host running these tests.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            env["PATH"] = Path.GetDirectoryName(host) + ":" + Environment.GetEnvironmentVariable("PATH");
        return env;
    }

    public static void Apply(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
    }
}
