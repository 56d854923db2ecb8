namespace HighMemConcurrency.Systematic.Control;

/// <summary>Hands out <see cref="IControlledRuntime.Id"/> values, unique across engines and engine instances.</summary>
internal static class ExecutionIds
{
    private static long s_last;

    public static long Next() => Interlocked.Increment(ref s_last);
}
