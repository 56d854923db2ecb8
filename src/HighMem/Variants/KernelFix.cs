namespace HighMemConcurrency.HighMem.Variants;

/// <summary>
/// The kernel fix (or, where none was merged, the proposal on the list) that a bug variant reproduces: the mistake it
/// switches on is the code before that fix. Cited only as far as it was checked: <see cref="Verified"/> says against
/// what, or is null when the citation comes from the project's spec and was not checked again.
/// </summary>
/// <param name="Reference">The commit, as an abbreviated hash, or the mailing-list thread of a proposal that was not merged.</param>
/// <param name="Title">The commit's subject line, or the thread's.</param>
/// <param name="Introduced">What introduced the mistake (a kernel version or change), or "unknown".</param>
/// <param name="Fixed">What fixed it (a kernel version), or "not merged".</param>
/// <param name="Architecture">Where it bit: "all", or the architectures and configurations named in the fix.</param>
/// <param name="Account">One paragraph: the interleaving the fix describes and how the variant reproduces it.</param>
public sealed record KernelFix(string Reference, string Title, string Introduced, string Fixed, string Architecture, string Account)
{
    /// <summary>Where the hash and title were checked (a mirror of the commit or thread), or null when they were not.</summary>
    public string? Verified { get; init; }
}
