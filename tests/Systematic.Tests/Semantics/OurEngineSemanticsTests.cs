namespace HighMemConcurrency.Systematic.Tests.Semantics;

/// <summary>The semantics every engine shares, under ours (dfs: its first schedule runs the current thread while it can).</summary>
public sealed class OurEngineSemanticsTests : EngineSemanticsTests
{
    protected override ITestEngine Engine => SystematicTest.Engine;

    protected override string Strategy => "dfs";
}
