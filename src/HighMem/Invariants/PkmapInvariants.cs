using HighMemConcurrency.HighMem.Pkmap;

namespace HighMemConcurrency.HighMem.Invariants;

/// <summary>
/// The invariants kmap_lock protects (spec §1.14 P1–P7, §5 items 1, 4, 10, 11), evaluated on peeks of the model's
/// state. They hold whenever kmap_lock is free: check them at every release (holding it, just before) and at
/// quiescence. P8 and P9 are checked where they are defined (at sleeping and at count writes).
/// </summary>
public static class PkmapInvariants
{
    /// <summary>The first violated invariant, named with the slot/page/CPU involved, or null when all hold.</summary>
    public static string? Check(Pkmap.Pkmap model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var n = model.Layout.LastPkmap;
        var counts = model.PkmapCounts();
        var entries = model.PageAddresses.Entries().ToList();
        string Fail(string name, string detail) => $"invariant {name} violated: {detail} (pkmap_count = [{string.Join(", ", counts)}])";

        var hand = model.LastPkmapNr;
        if (hand < 0 || hand >= n) return Fail("P6", $"last_pkmap_nr is {hand}, outside [0, {n})");

        var slotOfPage = new Dictionary<int, int>();
        var used = 0;
        for (var i = 0; i < n; i++)
        {
            var pte = model.Pte(i);
            if (counts[i] < 0) return Fail("P1", $"pkmap_count[{i}] is negative ({counts[i]})");
            if ((counts[i] == 0) != (pte is null))
                return Fail("P1", $"slot {i} has pkmap_count {counts[i]} but its PTE is {(pte is null ? "empty" : $"pfn 0x{pte:x}")}");
            if (pte is not { } pfn) continue;
            used++;
            var page = model.Memory.PfnToPage(pfn);
            var va = model.Layout.PkmapAddr(i);
            var own = model.PageAddresses.EntriesOf(page).ToList();
            if (own.Count != 1 || own[0].Virtual != va)
                return Fail("P2", $"slot {i} maps {page} but page_address({page}) has {own.Count} entr{(own.Count == 1 ? "y" : "ies")}" +
                                  $"{(own.Count > 0 ? $" ({string.Join(", ", own.Select(m => $"0x{m.Virtual:x}"))})" : "")}, expected exactly 0x{va:x}");
            if (slotOfPage.TryGetValue(page.Index, out var other))
                return Fail("P3", $"{page} is mapped by two slots, {other} and {i}");
            slotOfPage[page.Index] = i;
            var refs = model.References(page);
            if (counts[i] - 1 != refs)
                return Fail("P5", $"slot {i} ({page}) has pkmap_count {counts[i]} but {refs} outstanding reference(s) (expected count − 1)");
        }
        if (entries.Count != used)
            return Fail("P4", $"page_address_htable holds {entries.Count} entries but {used} slot(s) have count ≥ 1");
        foreach (var m in entries)
            if (counts[m.Slot] < 1) return Fail("P4", $"page_address_maps[{m.Slot}] ({m.Page} at 0x{m.Virtual:x}) is linked but pkmap_count[{m.Slot}] is 0");
        foreach (var page in model.Memory.Pages)
        {
            if (slotOfPage.ContainsKey(page.Index)) continue;
            var refs = model.References(page);
            if (refs != 0) return Fail("P5", $"{page} has no slot but {refs} outstanding reference(s)");
        }

        foreach (var cpu in model.Machine.Cpus)
            foreach (var (vpn, pfn) in cpu.Tlb.Entries())
            {
                var i = (int)(vpn - model.Layout.PkmapBaseVpn);
                if (i < 0 || i >= n) continue;
                if (counts[i] < 1)
                    return Fail("P7", $"CPU{cpu.Id}'s TLB still maps slot {i} (0x{model.Layout.PkmapAddr(i):x}) to pfn 0x{pfn:x} although pkmap_count[{i}] is 0: the slot can be reused while the stale entry lives");
                if (model.Pte(i) != pfn)
                    return Fail("P7", $"CPU{cpu.Id}'s TLB maps slot {i} to pfn 0x{pfn:x} but its PTE maps {(model.Pte(i) is { } p ? $"pfn 0x{p:x}" : "nothing")}");
            }
        return null;
    }

    /// <summary>
    /// The invariants plus quiescence (end of an iteration, every task finished): no outstanding reference, so every
    /// slot is free or lazily unmapped (count ≤ 1; with P5 this also says no page keeps a reference). The model
    /// registers it with the machine's quiescence checks, which see to kmap_lock being free and pkmap_map_wait
    /// empty as they do for every spin lock and wait queue.
    /// </summary>
    public static string? CheckQuiescent(Pkmap.Pkmap model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Check(model) is { } violation) return violation;
        for (var i = 0; i < model.Layout.LastPkmap; i++)
            if (model.PkmapCount(i) > 1)
                return $"at quiescence pkmap_count[{i}] is {model.PkmapCount(i)}: a kmap was never kunmapped";
        return null;
    }
}
