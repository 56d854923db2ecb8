namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// The processes a test cluster started, found by the one thing they all carry: the cluster's own
/// <c>SLURM_CONF</c> (a path under the test's temp directory) in their environment. slurmd runs job steps
/// (slurmstepd, the batch script, hmc) outside its own process group; this finds them by id, and nothing else.
/// </summary>
internal static class LeftoverProcesses
{
    public static IReadOnlyList<int> Carrying(string variable, string value)
    {
        var wanted = $"{variable}={value}";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                if (environment.Contains(wanted, StringComparer.Ordinal)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return found;
    }

    /// <summary>SIGKILL to each process still carrying the variable; returns how many there were.</summary>
    public static int KillAll(string variable, string value)
    {
        var pids = Carrying(variable, value);
        foreach (var pid in pids) Daemon.Kill(pid, 9);
        return pids.Count;
    }
}
