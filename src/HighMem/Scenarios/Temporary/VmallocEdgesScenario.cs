using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Vmalloc;
using HighMemConcurrency.Kernel;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// The classic vmlist driven to its edges: a driver on CPU0 fills a 16-page arena until nothing fits, so first fit
/// works across holes and up to the arena's end, ioremap's alignment skips free pages, and get_vm_area and the page
/// allocator refuse requests, which the driver handles as the kernel's callers do; it reads through every mapping
/// (ioremap'd device pages included) and frees with each of vfree, vunmap and iounmap. A reader on every other CPU
/// walks vmlist with vread meanwhile, filling its TLB with the driver's vmalloc and vmap pages, which every unmap must
/// shoot down. Being the only allocator, the driver places every area at the same address in every interleaving
/// (see <see cref="VmallocEdgesDriver"/>), so each pass reaches every edge; at quiescence nothing may be left listed
/// and every page must be back in the pool.
/// </summary>
public sealed class VmallocEdgesScenario() : TemporaryScenario(
    "vmalloc-edges",
    "classic vmlist near full: first fit across holes and at the arena's end, ioremap alignment, refusals, vfree/vunmap/iounmap; vread on the other CPUs",
    fixedTasks: true)
{
    /// <summary>Pages of the modelled arena.</summary>
    internal const int ArenaPages = 16;

    /// <summary>
    /// Frames of the page pool: what the driver holds at its fullest (six mapped pages and the one a refused vmap brings),
    /// so its late vmalloc of 3 pages, with 5 still held, finds only 2 and the page allocator refuses it.
    /// </summary>
    private const int PoolPages = 7;

    /// <summary>vread walks of each reader per pass of the driver, for the strategies to place before, during and after the arena is full.</summary>
    private const int ReadsPerPass = 3;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        var machine = VmallocWorld.Create(parameters, probe, ArenaPages, PoolPages);
        var (world, _, vm) = machine;

        world.Machine.StartTasks("vm", 1, index =>
        {
            var cpu = KernelTask.Current!.Cpu;
            if (index == 0)
            {
                var driver = new VmallocEdgesDriver(world, vm, machine.DeviceFrame, probe);
                for (var pass = 0; More(probe, parameters, pass); pass++)
                {
                    driver.Pass(pass);
                    Done(probe);
                }
                return;
            }
            for (var op = 0; More(probe, parameters, op / ReadsPerPass); op++)
            {
                vm.Vread($"vread/{cpu.Id}");
                world.Interrupts.Window(cpu);
                Done(probe);
            }
        });
        // Every refusal was handled: nothing a failed vmalloc reserved or allocated, nor anything the driver got, is
        // left — vmlist (invariant 24, empty) and the pool (no leak) check it among the machine's quiescent checks.
        Quiesce(world.Machine, probe);
    }

    /// <summary>Runs one map call, timed under stress (the driver's calls to vmalloc, vmap and ioremap).</summary>
    internal static T? Timed<T>(RunProbe? probe, Func<T?> map) => Map(probe, map);
}
