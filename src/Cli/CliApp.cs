using System.CommandLine;
using System.CommandLine.Help;
using HighMemConcurrency.Campaigns;
using HighMemConcurrency.Cli.Commands;

namespace HighMemConcurrency.Cli;

/// <summary>
/// The <c>hmc</c> command line: builds the verbs over a catalog and runs them, turning every failure into one line
/// on stderr and an exit code (<see cref="ExitCodes"/>).
/// </summary>
internal static class CliApp
{
    /// <summary>How long Ctrl+C waits for a command to write its summary before the process ends anyway.</summary>
    public static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The command's name.</summary>
    public const string Name = "hmc";

    /// <summary>The root command with every verb. Tests pass their own catalog; the tool passes the model's.</summary>
    public static Command Build(ICatalog catalog, CliEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(env);
        // A plain command named "hmc" rather than RootCommand, which takes its name from the executable
        // (HighMemConcurrency.Cli when run with `dotnet run`), so help always shows the name users type.
        return new Command(Name,
            "hmc — tests a model of Linux highmem mapping (kmap, kunmap, pkmap slots, TLB flushes) under a controlled scheduler, " +
            "stresses it on real threads, and replays the bug traces it writes.")
        {
            new HelpOption(),
            new VersionOption(),
            CommonOptions.Load(),
            CommonOptions.OnlyLoaded(),
            ListCommand.Create(catalog, env),
            TestCommand.Create(catalog, env),
            CompareCommand.Create(catalog, env),
            MergeCommand.Create(catalog, env),
            ReplayCommand.Create(catalog, env),
            MinimizeCommand.Create(catalog, env),
            StressCommand.Create(catalog, env),
        };
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, ICatalog catalog, CliEnvironment env, CancellationToken cancellation = default)
    {
        var parse = Build(catalog, env).Parse(args);
        // The loaded scenarios must be in the catalog the verbs are built over (their names are choices of
        // --scenario and --variant), so the command line is parsed once for --load and again over the result.
        var onlyLoaded = parse.GetValue<bool>(CommonOptions.OnlyLoadedName);
        if (parse.GetValue<string[]>(CommonOptions.LoadName) is { Length: > 0 } paths)
        {
            try
            {
                var loaded = paths.Select(AssemblyCatalog.Load).ToList();
                catalog = onlyLoaded ? CombinedCatalog.OfLoaded(loaded) : CombinedCatalog.Of(catalog, loaded);
            }
            catch (CampaignException e)
            {
                env.Error.WriteLine($"hmc: {CommonOptions.LoadName} {e.Message}");
                return ExitCodes.BadInput;
            }
            parse = Build(catalog, env).Parse(args);
        }
        else if (onlyLoaded)
        {
            env.Error.WriteLine($"hmc: {CommonOptions.OnlyLoadedName} needs at least one {CommonOptions.LoadName} PATH.dll");
            return ExitCodes.BadInput;
        }
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            env.Error.WriteLine(ParseErrorLine(parse));
            return ExitCodes.BadInput;
        }
        var configuration = new InvocationConfiguration
        {
            Output = env.Out,
            Error = env.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = TerminationTimeout,
        };
        try
        {
            return await parse.InvokeAsync(configuration, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is UsageException or CampaignException)
        {
            env.Error.WriteLine($"hmc: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            env.Error.WriteLine($"hmc: internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            env.Error.WriteLine(e.ToString());
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The first parse error on one line, with the valid commands or options when a token was not recognised.</summary>
    internal static string ParseErrorLine(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var isRoot = command.Name == Name;
        var path = isRoot ? Name : $"{Name} {command.Name}";
        var help = $"see '{path} --help'";
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            var valid = isRoot
                ? "commands: " + string.Join(", ", command.Subcommands.Select(c => c.Name))
                : "options: " + string.Join(", ", command.Options.Where(o => !o.Hidden).Select(o => o.Name));
            var what = token.StartsWith('-') ? "option" : "argument";
            return $"{path}: unknown {what} '{token}' (valid {valid}); {help}";
        }
        if (isRoot && parse.Tokens.Count == 0)
            return $"hmc: a command is required (valid commands: {string.Join(", ", command.Subcommands.Select(c => c.Name))}); {help}";
        return $"{path}: {parse.Errors[0].Message.ReplaceLineEndings(" ")}; {help}";
    }
}
