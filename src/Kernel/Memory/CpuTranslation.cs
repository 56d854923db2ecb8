namespace HighMemConcurrency.Kernel;

public sealed partial class Cpu
{
    /// <summary>
    /// The MMU: translates virtual page <paramref name="vpn"/> through this CPU's TLB, walking the page tables (and
    /// filling the TLB) on a miss. Returns null for an empty PTE: the access would fault. A TLB hit is used as is,
    /// even if the PTE changed since — that is exactly how a missing shootdown shows.
    /// </summary>
    public int? Translate(long vpn)
    {
        if (Tlb.Lookup(vpn) is { } cached) return cached;
        if (Machine.WalkPageTables(vpn) is not { } pfn) return null;
        Tlb.Fill(vpn, pfn);
        return pfn;
    }
}
