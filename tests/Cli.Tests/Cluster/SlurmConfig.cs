using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HighMemConcurrency.Cli.Tests.Cluster;

/// <summary>
/// The files of a one-node cluster under one directory: a munge key and a minimal slurm.conf for this host, every
/// state, spool and pid path below the directory, its own ports, so that it touches nothing of the machine's
/// (/etc/munge, /etc/slurm, /var/spool) and may run beside another such cluster.
/// </summary>
internal sealed record SlurmConfig(string Root)
{
    public string MungeDirectory => Path.Combine(Root, "munge");

    public string MungeKey => Path.Combine(MungeDirectory, "munge.key");

    public string MungeSocket => Path.Combine(MungeDirectory, "munge.socket");

    public string ConfFile => Path.Combine(Root, "slurm.conf");

    /// <summary>The node's name: slurmctld recognises itself, and slurmd its node, by the short host name.</summary>
    public static string Host => Environment.MachineName;

    /// <summary>Writes the key (1,024 random bytes, owner-only as munged requires) and slurm.conf.</summary>
    public void Write()
    {
        foreach (var d in new[] { MungeDirectory, Path.Combine(Root, "state"), Path.Combine(Root, "spool"), Path.Combine(Root, "run") })
            Directory.CreateDirectory(d);
        File.WriteAllBytes(MungeKey, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Slurm and munge run on Linux");
        File.SetUnixFileMode(MungeKey, UnixFileMode.UserRead);
        File.WriteAllText(ConfFile, Text(FreePort(), FreePort()));
    }

    /// <summary>
    /// The settings measured to work here (MACHINE-FACTS.md): no cgroups (linuxproc, task/none), no accounting
    /// daemon, the node's CPUs as the runtime sees them, addresses given so that nothing depends on name lookup.
    /// </summary>
    private string Text(int controllerPort, int nodePort) => string.Join('\n',
        "ClusterName=hmc-test",
        $"SlurmctldHost={Host}(127.0.0.1)",
        $"SlurmctldPort={controllerPort}",
        $"SlurmdPort={nodePort}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        $"AuthInfo=socket={MungeSocket}",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core",
        "AccountingStorageType=accounting_storage/none",
        "JobCompType=jobcomp/none",
        "JobAcctGatherType=jobacct_gather/none",
        // Debian's build looks for PMIx by default and logs errors without it; no job here uses MPI.
        "MpiDefault=none",
        // A canceled job's processes get SIGKILL 2 s after SIGTERM (default 30 s): a failed test tears down sooner.
        "KillWait=2",
        "ReturnToService=2",
        $"StateSaveLocation={Path.Combine(Root, "state")}",
        $"SlurmdSpoolDir={Path.Combine(Root, "spool")}",
        $"SlurmctldPidFile={Path.Combine(Root, "run", "slurmctld.pid")}",
        $"SlurmdPidFile={Path.Combine(Root, "run", "slurmd.pid")}",
        $"NodeName={Host} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)} State=UNKNOWN",
        $"PartitionName=test Nodes={Host} Default=YES MaxTime=INFINITE State=UP",
        "");

    /// <summary>A TCP port nothing listens on now (the OS's pick); the daemons bind it moments later.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
