using HighMemConcurrency.HighMem.Invariants;
using HighMemConcurrency.HighMem.Layout;
using HighMemConcurrency.HighMem.Local;
using HighMemConcurrency.HighMem.Scenarios.Stress;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Scenarios.Temporary;

/// <summary>
/// kmap_local on ARM without LPAE (FIXADDR_TOP 0xFFEFF000, FIX_KMAP_BEGIN 1, PTE tables of 2 MiB; see
/// <see cref="AddressLayout.PteTableSpan"/>) under CONFIG_DEBUG_KMAP_LOCAL, whose KM_MAX_IDX is the kernel's 33: a
/// task on the first CPU and one on the last nest kmap_local mappings as deep as their stacks allow — 16, the last at
/// stack position 31 — read each and unmap them in reverse. With the default 8 CPUs, CPU7's positions 24 and up (idx
/// 255 and up) lie below the 2 MiB boundary under FIX_KMAP_BEGIN's PTE table, which the linear
/// <c>&amp;__kmap_pte[-idx]</c> cannot reach: the scenario runs on exactly 8 CPUs. (The CPUs between run nothing:
/// their windows change nothing here.)
/// </summary>
public sealed class LocalDepthScenario() : TemporaryScenario(
    "local-depth-arm",
    "kmap_local on ARM under CONFIG_DEBUG_KMAP_LOCAL (KM_MAX_IDX 33), 8 CPUs: tasks on CPU0 and CPU7 nest 16 mappings, the deepest their stacks allow; CPU7's cross a 2 MiB PTE table boundary",
    fixedTasks: true, cpus: 8, opsPerTask: 1, minCpus: 8, maxCpus: 8)
{
    /// <summary>KM_MAX_IDX with CONFIG_DEBUG_KMAP_LOCAL: 2 × 16 + 1 (include/asm-generic/kmap_size.h).</summary>
    private const int KmMaxIdx = 2 * 16 + 1;

    /// <summary>Mappings per nest: push checks idx &gt;= KM_MAX_IDX after adding KM_INCR = 2, so 16 fit (idx 32).</summary>
    private const int Depth = 16;

    /// <inheritdoc />
    public override void Run(ScenarioParameters parameters, RunProbe? probe)
    {
        // ARM's fixed_addresses: FIX_EARLYCON_MEM_BASE, then the kmap windows, then FIX_TEXT_POKE0 and FIX_TEXT_POKE1.
        var layout = new AddressLayout { NrCpus = parameters.Cpus, KmapWindow = KmMaxIdx, Arch = KernelArch.Arm, FixmapsBeforeKmap = 1, FixmapsAfterKmap = 2 };
        var world = HighMemModel.Create(new HighMemConfig { Layout = layout, AllowMigration = false });
        probe?.BeginRound(world.Machine);
        var config = new LocalKmapConfig { KmMaxIdx = KmMaxIdx, DebugKmapLocal = true, Variant = VariantRegistry.Switch(parameters.Variant) };
        var kmap = new KmapLocal(config, world.Machine, world.Windows, world.Interrupts);

        // The first CPU's window holds FIX_KMAP_BEGIN, the last CPU's reaches past the table: one task on each.
        int[] cpus = [0, parameters.Cpus - 1];
        foreach (var cpu in cpus)
            world.Machine.StartTask($"user/{cpu}", cpu, () =>
            {
                var task = KernelTask.Current!;
                int Page(int n) => world.HighPage(cpu * Depth + n);
                for (var op = 0; More(probe, parameters, op); op++)
                {
                    var addresses = new uint[Depth];
                    for (var n = 0; n < Depth; n++)
                    {
                        addresses[n] = Map(probe, () => kmap.KmapLocalPage(Page(n)));
                        TemporaryInvariants.LocalUse(world, kmap, addresses[n], Page(n), "nest");
                    }
                    for (var n = Depth - 1; n >= 0; n--) kmap.KunmapLocal(addresses[n]);
                    Done(probe);
                }
                kmap.AssertNoMap(task);
            });
        Quiesce(world.Machine, probe, cpus.Length);
    }
}
