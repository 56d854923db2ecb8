namespace HighMemConcurrency.HighMem.Layout;

/// <summary>
/// The architecture a run's kmap_local code runs on. The model keeps x86-32's address map for all of them and varies
/// only what a historic fix depended on (<see cref="AddressLayout.ZeroPteIsNone"/>, <see cref="AddressLayout.FixmapGrowsUp"/>,
/// <see cref="AddressLayout.FixaddrTop"/>, <see cref="AddressLayout.PteTableSpan"/>).
/// </summary>
public enum KernelArch
{
    /// <summary>x86-32 (the default): the spec's machine.</summary>
    X86,

    /// <summary>xtensa: a zero PTE is not pte_none; its fixmap grew bottom up until 5.11.</summary>
    Xtensa,

    /// <summary>ARM without LPAE: FIXADDR_TOP 0xFFEFF000, PTE tables of 2 MiB that are not one array in memory.</summary>
    Arm,
}
