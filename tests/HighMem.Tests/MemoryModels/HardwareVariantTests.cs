using HighMemConcurrency.Campaigns;
using HighMemConcurrency.HighMem.Variants;
using HighMemConcurrency.Systematic;

namespace HighMemConcurrency.HighMem.Tests.MemoryModels;

/// <summary>
/// The variants only the hardware makes (<see cref="OrderingVariants"/>): each declares a weak memory model (tso or
/// arm), is found under it by its documented strategy (VariantTests: seeds 1–5 within 1,000 schedules), and is not
/// found under sequential consistency by the same strategy in three times that budget — every interleaving of it is
/// correct, only a store waiting in a buffer or a load reading an older store breaks it. The arm variants are not
/// found under tso either, in the same budget: x86 keeps stores in order and this tool's tso lock release is a full
/// barrier.
/// </summary>
public sealed class HardwareVariantTests
{
    public static TheoryData<string, ulong> HardwareVariants()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var v in OrderingVariants.All)
            for (ulong seed = 1; seed <= 3; seed++) data.Add(v.Name, seed);
        return data;
    }

    public static TheoryData<string, ulong> ArmVariants()
    {
        var data = new TheoryData<string, ulong>();
        foreach (var v in OrderingVariants.All.Where(v => v.MemoryModel == MemoryModel.Arm))
            for (ulong seed = 1; seed <= 3; seed++) data.Add(v.Name, seed);
        return data;
    }

    [Fact]
    public void Every_hardware_variant_declares_a_weak_model_and_every_other_variant_sc()
    {
        Assert.Equal(["unlock-page-no-barrier", "unlock-page-no-release", "lock-page-wait-no-barrier"], OrderingVariants.All.Select(v => v.Name));
        Assert.Equal([MemoryModel.Tso, MemoryModel.Arm, MemoryModel.Arm], OrderingVariants.All.Select(v => v.MemoryModel));
        Assert.All(VariantRegistry.All.Except(OrderingVariants.All), v => Assert.Equal(MemoryModel.Sc, v.MemoryModel));
    }

    private static void NotFoundUnder(MemoryModel model, string variant, ulong seed)
    {
        var v = VariantRegistry.Find(variant)!;
        var result = Campaign.Model.Run(new CampaignRequest
        {
            Scenario = v.Scenarios[0], Variant = variant, Seed = seed, Iterations = 3000, MemoryModel = model,
        });
        var job = Assert.Single(result.Jobs);
        Assert.Equal(model, job.Job.MemoryModel);
        Assert.True(job.Bug is null, $"{variant} found under {model}: {job.Bug}");
        Assert.Equal(3000, job.Iterations);
    }

    [Theory, MemberData(nameof(HardwareVariants))]
    public void A_hardware_variant_is_not_found_under_sc(string variant, ulong seed) => NotFoundUnder(MemoryModel.Sc, variant, seed);

    [Theory, MemberData(nameof(ArmVariants))]
    public void An_arm_variant_is_not_found_under_tso(string variant, ulong seed) => NotFoundUnder(MemoryModel.Tso, variant, seed);

    [Theory, MemberData(nameof(HardwareVariants))]
    public void A_hardware_variant_runs_under_its_own_model_unless_told_otherwise(string variant, ulong seed)
    {
        var plan = Campaign.Model.Plan(new CampaignRequest { Variant = variant, Seed = seed });
        Assert.All(plan.Jobs, j => Assert.Equal(VariantRegistry.Find(variant)!.MemoryModel, j.MemoryModel));
    }
}
