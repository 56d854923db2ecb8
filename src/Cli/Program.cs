using HighMemConcurrency.Cli;
using HighMemConcurrency.Cli.Catalogs;

return await CliApp.RunAsync(args, new HighMemCatalog(), CliEnvironment.FromConsole()).ConfigureAwait(false);
