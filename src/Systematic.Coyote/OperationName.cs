using Microsoft.Coyote.Runtime;

namespace HighMemConcurrency.Systematic.Coyote;

/// <summary>Names a Coyote operation after our thread, so that Coyote's own logs say <c>T1 'cpu1'</c>, not <c>Op(2)</c>.</summary>
internal sealed class OperationName(string name) : IOperationBuilder
{
    public string Name => name;

    public Guid? GroupId => null;

    public Func<int>? HashedStateCallback => null;
}
