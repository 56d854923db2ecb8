using System.Reflection;

namespace HighMemConcurrency.Campaigns;

/// <summary>Name and version written into summaries.</summary>
public static class ToolInfo
{
    /// <summary>The version of the campaign library (and so of the tool), without the source revision.</summary>
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary><c>hmc 0.1.0</c>: what summaries record as their tool.</summary>
    public static string NameAndVersion => $"hmc {Version}";
}
