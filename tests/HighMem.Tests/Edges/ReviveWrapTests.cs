using System.Globalization;
using System.Text.RegularExpressions;
using HighMemConcurrency.HighMem.Layout;

namespace HighMemConcurrency.HighMem.Tests.Edges;

/// <summary>
/// revive-wrap reaches both pkmap edges in every interleaving, read from the model's own notes (pkmap_count writes,
/// the hand, page_address): the hand wraps while the shared page 0 is mapped with count ≥ 2, so the flush keeps its
/// slot; and a slot kunmapped to count 1 is kmapped again (1 → 2) before any flush clears it.
/// </summary>
public sealed partial class ReviveWrapTests
{
    private static readonly AddressLayout Layout = new() { NrCpus = 2, LastPkmap = 4 };

    [GeneratedRegex(@"^pkmap_count\[(\d+)\]: (\d+)→(\d+)$")]
    private static partial Regex CountWrite();

    [Theory, MemberData(nameof(WorkloadRun.Schedules), MemberType = typeof(WorkloadRun))]
    public void TheHandWrapsWithTheSharedPageMapped_AndALazilyUnmappedSlotIsRevived(string strategy, ulong seed)
    {
        var counts = new int[Layout.LastPkmap];
        var last = new (int From, int To)?[Layout.LastPkmap];
        var sharedSlot = -1;
        var wrapsWithSharedMapped = 0;
        var revivals = 0;
        var shared = $"page_address(page 0 (pfn 0x{Layout.MaxLowPfn:x})) := 0x";
        foreach (var note in WorkloadRun.Notes("revive-wrap", strategy, seed))
        {
            if (note.StartsWith(shared, StringComparison.Ordinal))
                sharedSlot = Layout.PkmapNr(uint.Parse(note[shared.Length..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            else if (note == "last_pkmap_nr := 0 (wrap)" && sharedSlot >= 0 && counts[sharedSlot] >= 2)
                wrapsWithSharedMapped++;
            else if (CountWrite().Match(note) is { Success: true } m)
            {
                var (slot, from, to) = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
                Assert.Equal(counts[slot], from);   // the notes tell every write: the replay stays in step with the model
                if ((from, to) == (1, 2) && last[slot] == (2, 1)) revivals++;   // kunmapped to 1, kmapped again: no flush, no new mapping between
                (counts[slot], last[slot]) = (to, (from, to));
            }
        }
        Assert.True(sharedSlot >= 0, "page 0 was never mapped");
        Assert.True(wrapsWithSharedMapped > 0, "the hand never wrapped while page 0 was mapped");
        Assert.True(revivals > 0, "no slot was revived from count 1");
    }
}
