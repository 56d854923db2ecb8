using HighMemConcurrency.Campaigns;

namespace HighMemConcurrency.Cli;

/// <summary>Bad usage or input, reported as one line and exit code <see cref="ExitCodes.BadInput"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
