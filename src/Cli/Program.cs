using HighMemConcurrency.Cli;
using HighMemConcurrency.Campaigns;

// A backstop, not the fix: every thread hmc starts records its own exceptions, but should one ever escape, the process
// still ends with one line and the internal-error exit code rather than a runtime abort (134) and a bare stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    var error = e.ExceptionObject as Exception;
    Console.Error.WriteLine($"hmc: internal error on thread '{Thread.CurrentThread.Name ?? "unnamed"}': " +
                            $"{error?.GetType().Name ?? "unknown"}: {error?.Message.ReplaceLineEndings(" ")}");
    Console.Error.WriteLine(error?.ToString());
    Environment.Exit(ExitCodes.InternalError);
};
return await CliApp.RunAsync(args, ModelCatalog.Instance, CliEnvironment.FromConsole()).ConfigureAwait(false);
