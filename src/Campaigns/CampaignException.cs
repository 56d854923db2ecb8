namespace HighMemConcurrency.Campaigns;

/// <summary>
/// Bad input to a campaign — an unknown name, parameters a scenario refuses, a malformed summary or trace, shards of
/// different campaigns — in one line that says what and where. The CLI prints it and exits 2.
/// </summary>
public sealed class CampaignException : Exception
{
    /// <summary>Bad input described by <paramref name="message"/> (one line).</summary>
    public CampaignException(string message)
        : base(message)
    {
    }

    /// <summary>Bad input described by <paramref name="message"/>, found as <paramref name="inner"/>.</summary>
    public CampaignException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the model's own sentence stays on one line without it.</summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message.ReplaceLineEndings(" ").Trim();
    }
}
