namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// The programs of Debian's slurm-wlm and munge packages the cluster test runs. They are not NuGet packages:
/// ci/test installs them with apt-get, and without them the test fails (the project skips no test).
/// </summary>
internal static class SlurmInstallation
{
    public const string Munged = "/usr/sbin/munged";
    public const string Slurmctld = "/usr/sbin/slurmctld";
    public const string Slurmd = "/usr/sbin/slurmd";

    /// <summary>The client commands, run by name from PATH as a user would.</summary>
    public static readonly string[] Clients = ["sinfo", "squeue", "sbatch", "scancel", "scontrol"];

    public static void Require()
    {
        var missing = new[] { Munged, Slurmctld, Slurmd }.Concat(Clients.Select(c => "/usr/bin/" + c)).Where(p => !File.Exists(p)).ToList();
        Assert.True(missing.Count == 0,
            $"{string.Join(", ", missing)} missing: run ci/test, which installs Debian's slurm-wlm and munge packages");
        // slurmd starts every job as its submitting user, which only root can do; munged then runs as root too.
        Assert.True(Environment.UserName == "root" || GetUid() == 0,
            $"the Slurm cluster test starts slurmd, which must run as root; this runs as {Environment.UserName}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
