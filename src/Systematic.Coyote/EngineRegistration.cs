using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>
/// Registers <see cref="CoyoteTest.Engine"/> with <see cref="TestEngines"/> when this assembly is loaded, so that
/// <see cref="SystematicTest.Replay"/> replays Coyote's traces in any process that uses this assembly at all, without
/// src/Systematic naming it (it must not depend on Coyote).
/// </summary>
internal static class EngineRegistration
{
    // A module initializer, not CoyoteTest's static constructor: it runs before the first use of any type here
    // (CoyoteStrategies for a help text, say), where the constructor would wait for CoyoteTest itself.
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "Registering the engine on load is the point: the registry lives in an assembly that cannot name this one.")]
    internal static void Register() => TestEngines.Register(CoyoteTest.Engine);
}
