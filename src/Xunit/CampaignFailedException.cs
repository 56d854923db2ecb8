using Xunit.Sdk;

namespace HighMemConcurrency.Xunit;

/// <summary>
/// A campaign's verdict failed a test: a bug where none was expected, or a bug that was expected and not found. The
/// message says what, and for a bug its last steps, trace file and replay command.
/// </summary>
public sealed class CampaignFailedException : XunitException
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public CampaignFailedException(string message)
        : base(message)
    {
    }
}
