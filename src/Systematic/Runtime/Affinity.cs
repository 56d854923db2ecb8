using System.Runtime.InteropServices;

namespace HighMemConcurrency.Systematic.Runtime;

/// <summary>
/// Linux CPU affinity of threads, and which CPU each run of this process keeps its threads on. Elsewhere (or where
/// the calls fail, e.g. a restricted container) nothing is pinned and the runtime works as before, only slower
/// under CPU contention.
/// </summary>
internal static class Affinity
{
    private const int MaskWords = 16;   // 1024 CPUs, glibc's cpu_set_t

    // The CPUs are the process's, so the count of runs pinned to each is too: parallel runs spread over the CPUs.
    private static readonly Lock Claims = new();
    private static readonly Dictionary<int, int> RunsOnCpu = [];

    [DllImport("libc", EntryPoint = "sched_getcpu")]
    private static extern int SchedGetCpu();

    [DllImport("libc", EntryPoint = "sched_setaffinity")]
    private static extern int SchedSetAffinity(int tid, nint size, ulong[] mask);

    [DllImport("libc", EntryPoint = "sched_getaffinity")]
    private static extern int SchedGetAffinity(int tid, nint size, ulong[] mask);

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long SyscallGetTid(long number);

    private static readonly long SysGetTid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 178 : 186;

    /// <summary>The calling thread's kernel thread id, or 0 where affinity is not used.</summary>
    public static int CurrentThreadId() => Futex.Available ? (int)SyscallGetTid(SysGetTid) : 0;

    /// <summary>The calling thread's CPU mask, or null where it cannot be read.</summary>
    public static ulong[]? CurrentMask()
    {
        if (!Futex.Available) return null;
        var mask = new ulong[MaskWords];
        return SchedGetAffinity(0, MaskWords * sizeof(ulong), mask) == 0 ? mask : null;
    }

    /// <summary>Sets the mask of thread <paramref name="tid"/> (0: the calling thread); false when refused.</summary>
    public static bool Set(int tid, ulong[] mask) => SchedSetAffinity(tid, MaskWords * sizeof(ulong), mask) == 0;

    /// <summary>A mask of the one CPU <paramref name="cpu"/>.</summary>
    public static ulong[] Only(int cpu)
    {
        var mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        return mask;
    }

    /// <summary>
    /// Claims a CPU of <paramref name="allowed"/> for one run: the one with the fewest runs of this process on it,
    /// the caller's current CPU on a tie (the kernel placed it there, so it is probably the least busy).
    /// </summary>
    public static int Claim(ulong[] allowed)
    {
        var current = SchedGetCpu();
        lock (Claims)
        {
            int best = -1, bestRuns = int.MaxValue;
            for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            {
                if ((allowed[cpu / 64] & (1UL << (cpu % 64))) == 0) continue;
                var runs = RunsOnCpu.GetValueOrDefault(cpu);
                if (runs < bestRuns || (runs == bestRuns && cpu == current)) (best, bestRuns) = (cpu, runs);
            }
            RunsOnCpu[best] = bestRuns + 1;
            return best;
        }
    }

    /// <summary>Gives back a CPU taken with <see cref="Claim"/>.</summary>
    public static void Release(int cpu)
    {
        lock (Claims) RunsOnCpu[cpu]--;
    }
}
