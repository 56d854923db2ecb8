using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Temporary;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>Runs a sequential test body on one kernel task (natively: a real thread, no scheduler).</summary>
internal static class OnCpu
{
    public static HighMemModel World(int window, int cpus = 2, int vmallocPages = 0) =>
        HighMemModel.Create(new HighMemConfig { Layout = new AddressLayout { NrCpus = cpus, KmapWindow = window }, AllowMigration = false, VmallocPages = vmallocPages });

    public static void Run(HighMemModel world, int cpu, Action body)
    {
        world.Machine.StartTask($"test/{cpu}", cpu, body);
        world.Machine.JoinAll();
    }
}
