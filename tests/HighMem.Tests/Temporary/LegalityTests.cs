using HighMemConcurrency.HighMem.Atomic;

namespace HighMemConcurrency.HighMem.Tests.Temporary;

/// <summary>debug_kmap_atomic's legality table (spec §2.3), one context row at a time.</summary>
public sealed class LegalityTests
{
    private static readonly KmapContext Process = new(InNmi: false, InIrq: false, InInterrupt: false, IrqsDisabled: false);
    private static readonly KmapContext ProcessIrqsOff = Process with { IrqsDisabled = true };
    private static readonly KmapContext Softirq = new(InNmi: false, InIrq: false, InInterrupt: true, IrqsDisabled: false);
    private static readonly KmapContext SoftirqIrqsOff = Softirq with { IrqsDisabled = true };
    private static readonly KmapContext Hardirq = new(InNmi: false, InIrq: true, InInterrupt: true, IrqsDisabled: true);
    private static readonly KmapContext Nmi = new(InNmi: true, InIrq: true, InInterrupt: true, IrqsDisabled: true);

    private static KmType[] Legal(KmapContext context) =>
        Enum.GetValues<KmType>().Where(t => KmapLegality.Check(t, context) is null).ToArray();

    [Fact]
    public void PlainProcess_MayUseUserPteAndSkbTypesOnly() =>
        Assert.Equal(
            [KmType.KM_SKB_SUNRPC_DATA, KmType.KM_SKB_DATA_SOFTIRQ, KmType.KM_USER0, KmType.KM_USER1, KmType.KM_PTE0, KmType.KM_PTE1],
            Legal(Process));

    [Fact]
    public void ProcessWithIrqsOff_MayUseEveryType_IncludingTheNmiGap() =>
        Assert.Equal(Enum.GetValues<KmType>(), Legal(ProcessIrqsOff));

    [Fact]
    public void SoftirqWithIrqsOn_MayUseSoftirqAndSkbTypes() =>
        Assert.Equal([KmType.KM_SKB_SUNRPC_DATA, KmType.KM_SKB_DATA_SOFTIRQ, KmType.KM_SOFTIRQ0, KmType.KM_SOFTIRQ1], Legal(Softirq));

    [Fact]
    public void SoftirqWithIrqsOff_MayUseEveryType() => Assert.Equal(Enum.GetValues<KmType>(), Legal(SoftirqIrqsOff));

    [Fact]
    public void Hardirq_MayUseIrqBioBounceAndIrqPteTypes() =>
        Assert.Equal(
            [KmType.KM_BOUNCE_READ, KmType.KM_BIO_SRC_IRQ, KmType.KM_BIO_DST_IRQ, KmType.KM_IRQ0, KmType.KM_IRQ1, KmType.KM_IRQ_PTE],
            Legal(Hardirq));

    [Fact]
    public void Nmi_MayUseOnlyTheNmiTypes() => Assert.Equal([KmType.KM_NMI, KmType.KM_NMI_PTE], Legal(Nmi));

    [Fact]
    public void Reasons_NameTheTypeAndTheContext()
    {
        Assert.Equal("IRQ type KM_IRQ0 used with IRQs enabled (process context, IRQs on)", KmapLegality.Check(KmType.KM_IRQ0, Process));
        Assert.Equal("KM_USER0 used in hardirq context", KmapLegality.Check(KmType.KM_USER0, Hardirq));
        Assert.Equal("KM_IRQ0 used in NMI context (only KM_NMI, KM_NMI_PTE)", KmapLegality.Check(KmType.KM_IRQ0, Nmi));
        Assert.Contains("softirq type KM_SOFTIRQ0", KmapLegality.Check(KmType.KM_SOFTIRQ0, Process));
        // KM_IRQ0 is on the softirq list; what a softirq with IRQs on breaks is the IRQs-off rule (spec §2.3 table).
        Assert.Equal("IRQ type KM_IRQ1 used with IRQs enabled (softirq/BH-disabled context, IRQs on)", KmapLegality.Check(KmType.KM_IRQ1, Softirq));
        Assert.Equal("IRQ type KM_IRQ0 used with IRQs enabled (softirq/BH-disabled context, IRQs on)", KmapLegality.Check(KmType.KM_IRQ0, Softirq));
    }

    [Fact]
    public void ThirteenClassicTypes_PrecedeTheLaterAdditions()
    {
        Assert.Equal(13, KmTypes.Classic);
        Assert.Equal(12, (int)KmType.KM_SOFTIRQ1);
        Assert.Equal(16, Enum.GetValues<KmType>().Length);
    }
}
