using System.Collections.Immutable;
using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Vmalloc;

/// <summary>vm_struct flags (2.6.11).</summary>
[Flags]
public enum VmFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>VM_IOREMAP: device memory mapped by ioremap; <c>phys_addr</c> is set.</summary>
    VM_IOREMAP = 0x1,

    /// <summary>VM_ALLOC: vmalloc'ed; the pages belong to the area and vfree frees them.</summary>
    VM_ALLOC = 0x2,

    /// <summary>VM_MAP: vmap of pages the caller owns.</summary>
    VM_MAP = 0x4,
}

/// <summary>
/// struct vm_struct: one area of the vmalloc range. <see cref="Size"/> includes the trailing unmapped guard page.
/// Immutable: the list holds a new value when an area's pages are published. <see cref="Owner"/> is the model's
/// (like later kernels' <c>caller</c>): the tag its pages carry, for the content oracle.
/// </summary>
/// <param name="Addr">Start address.</param>
/// <param name="Size">Size in bytes, guard page included.</param>
/// <param name="Flags">VM_ALLOC, VM_MAP or VM_IOREMAP.</param>
/// <param name="Pages">The frames mapped (empty until published; empty for ioremap).</param>
/// <param name="PhysAddr">Device address for ioremap, else 0.</param>
/// <param name="Owner">Model-only: who created it (the tag its pages carry).</param>
public sealed record VmStruct(uint Addr, uint Size, VmFlags Flags, ImmutableArray<int> Pages, long PhysAddr, int Owner)
{
    /// <summary>nr_pages.</summary>
    public int NrPages => Pages.IsDefault ? 0 : Pages.Length;

    /// <summary>First address after the area (guard page included).</summary>
    public uint End => Addr + Size;

    /// <summary>Pages that are mapped (all but the guard page).</summary>
    public int MappedPages => (int)(Size / X86Layout.PageSize) - 1;

    /// <inheritdoc />
    public override string ToString() => $"[0x{Addr:x8}, 0x{End:x8}) {Flags} owner {Owner}";
}
