using BenchmarkDotNet.Running;
using HighMemConcurrency.Benchmarks;

if (args.Length > 0 && args[0] == BackgroundLoad.SpinArgument)
{
    BackgroundLoad.Spin();
    return;
}
if (args.Length > 0 && args[0] == "--measure")
{
    QuickMeasure.Run(QuickMeasure.ParseLoad(args[1..]));
    return;
}
if (args.Length > 0 && args[0] == "--compare-gates")
{
    LoadedComparison.CompareGates(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "--measure-strategies")
{
    StrategyMeasure.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(QuickMeasure).Assembly).Run(args);
