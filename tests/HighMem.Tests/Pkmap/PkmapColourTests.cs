using HighMemConcurrency.HighMem.Pkmap;
using HighMemConcurrency.HighMem.Tests.Temporary;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Kernel;

namespace HighMemConcurrency.HighMem.Tests.Pkmap;

/// <summary>
/// Colour-aware kmap (15de36a4c3cf, xtensa's hooks): with DCACHE_N_COLORS 2 a page only gets pkmap slots of its frame's
/// colour, each colour with its own hand and wait queue; one colour is the generic behaviour; the variant is colour-blind.
/// Known answers: PKMAP_BASE is PMD-aligned, so slot n's address has colour n mod 2; the model's pages start at an even
/// frame, so page k has colour k mod 2.
/// </summary>
public sealed class PkmapColourTests
{
    private static HighMemModel Model(int colours, BugVariant? variant = null) =>
        HighMemModel.Create(1, 4, new PkmapOptions { LastPkmap = 4, DcacheColours = colours, Variant = variant });

    [Fact]
    public void Each_page_gets_slots_of_its_own_colour_with_a_hand_per_colour()
    {
        var m = Model(2);
        var slots = new List<int>();
        OnCpu.Run(m, 0, () =>
        {
            foreach (var page in m.Memory.Pages)
            {
                slots.Add(m.Layout.PkmapNr(m.Pkmap.Kmap(page)));
                m.Pkmap.Kunmap(page);
            }
        });
        // Each colour's hand steps by 2 from its own 0: colour 0 takes 2 then (wrap) 0; colour 1 takes 3 then (wrap) 1.
        Assert.Equal([2, 3, 0, 1], slots);
        Assert.Equal(["pkmap_map_wait_arr[0]", "pkmap_map_wait_arr[1]"], m.Pkmap.PkmapMapWaits.Select(q => q.Name));
    }

    [Fact]
    public void One_colour_and_the_colour_blind_variant_scan_every_slot_in_turn()
    {
        foreach (var m in new[] { Model(1), Model(2, PkmapVariants.KmapColourBlind) })
        {
            var slots = new List<int>();
            OnCpu.Run(m, 0, () =>
            {
                foreach (var page in m.Memory.Pages)
                {
                    slots.Add(m.Layout.PkmapNr(m.Pkmap.Kmap(page)));
                    m.Pkmap.Kunmap(page);
                }
            });
            Assert.Equal([1, 2, 3, 0], slots);
        }
        Assert.Equal(["pkmap_map_wait"], Model(1).Pkmap.PkmapMapWaits.Select(q => q.Name));
    }

    [Fact]
    public void The_colours_must_be_a_power_of_two_dividing_last_pkmap()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model(0));
    }
}
