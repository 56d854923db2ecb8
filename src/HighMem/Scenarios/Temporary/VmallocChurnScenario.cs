using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Memory;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// vmalloc/vfree churn with a reader on another CPU: a vmalloc writer on each CPU, a vmap/ioremap writer on CPU0,
/// and a vread reader on CPU1 that walks vmlist under vmlist_lock and reads every published page through its
/// vmalloc address (filling CPU1's TLB, which every vfree must shoot down by IPI).
/// </summary>
public sealed class VmallocChurnScenario() : TemporaryScenario(
    "vmalloc-churn",
    "classic vmlist: vmalloc/vfree on both CPUs, vmap/ioremap on CPU0, vread through vmalloc addresses on CPU1 (IPI TLB shootdowns)",
    tasksPerCpu: 2,
    fixedTasks: true)
{
    private const int ArenaPages = 16;
    private const int PoolPages = 8;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var machine = VmallocWorld.Create(parameters, probe, ArenaPages, PoolPages);
        var (world, pool, vm) = machine;
        var device = machine.DeviceFrame << X86Layout.PageShift;

        // Two tasks per CPU: index 0 = vmalloc on CPU0, 1 = vread on CPU1, 2 = vmap/ioremap on CPU0, 3 = vmalloc on CPU1.
        world.Machine.StartTasks("vm", parameters.TasksPerCpu, index =>
        {
            var cpu = KernelTask.Current!.Cpu;
            var owner = index + 1;
            for (var op = 0; More(probe, parameters, op); op++)
            {
                switch (index % 4)
                {
                    case 0 or 3:
                        if (Map(probe, () => vm.Vmalloc(1, owner)) is { } area)
                        {
                            world.Oracle.ReadExpect(cpu, area.Addr, area.Pages[0], PageContent.Tag(owner, 0), $"vmalloc owner {owner}");
                            world.Interrupts.Window(cpu);
                            vm.Vfree(area.Addr);
                        }
                        break;
                    case 1:
                        vm.Vread("vread");
                        break;
                    default:
                        if (op % 2 == 0) VmapOnce(world, vm, pool, owner, probe);
                        else if (Map(probe, () => vm.Ioremap(device, X86Layout.PageSize, owner)) is { } io)
                        {
                            world.Oracle.ReadExpect(cpu, io, (int)(device >> X86Layout.PageShift), PageContent.Of((int)(device >> X86Layout.PageShift)), "ioremap");
                            vm.Iounmap(io);
                        }
                        break;
                }
                world.Interrupts.Window(cpu);
                Done(probe);
            }
        });
        Quiesce(world.Machine, probe);
    }

    private static void VmapOnce(HighMemModel world, VmallocArea vm, PageAllocator pool, int owner, RunProbe? probe)
    {
        if (pool.AllocPage() is not { } pfn) return;
        world.Memory.Write(pfn, PageContent.Tag(owner, 0));
        if (Map(probe, () => vm.Vmap([pfn], owner)) is { } area)
        {
            world.Oracle.ReadExpect(Machine.CurrentCpuOrThrow, area.Addr, pfn, PageContent.Tag(owner, 0), $"vmap owner {owner}");
            vm.Vunmap(area.Addr);
        }
        pool.FreePage(pfn);
    }
}
