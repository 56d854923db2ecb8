namespace HighMemConcurrency.Kernel;

/// <summary>
/// A device interrupt a scenario registers: its name and the handler that runs, nested on the interrupted CPU's
/// thread, in hardirq context with local IRQs disabled.
/// </summary>
/// <param name="Name">The IRQ's name, e.g. <c>dma-complete</c>.</param>
/// <param name="Handler">The handler; it receives the CPU it runs on.</param>
public sealed record IrqLine(string Name, Action<Cpu> Handler);
