using HighMemConcurrency.Cli;
using HighMemConcurrency.Campaigns;

return await CliApp.RunAsync(args, ModelCatalog.Instance, CliEnvironment.FromConsole()).ConfigureAwait(false);
