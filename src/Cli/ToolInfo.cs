using System.Reflection;

namespace HighMemConcurrency.Cli;

/// <summary>Name and version written into summaries.</summary>
internal static class ToolInfo
{
    public static string Version { get; } =
        typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string NameAndVersion => $"hmc {Version}";
}
