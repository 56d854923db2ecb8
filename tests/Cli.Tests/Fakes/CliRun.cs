
namespace HighMemConcurrency.Cli.Tests.Fakes;

/// <summary>What an in-process run of the CLI returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs <see cref="CliApp.RunAsync"/> in process with captured output and a catalog of the test's choosing.</summary>
internal static class CliRun
{
    public static async Task<CliResult> Run(ICatalog catalog, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, catalog, CliEnvironment.Redirected(output, error));
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static Task<CliResult> Run(params string[] args) => Run(TestCatalog.Standard(), args);

    /// <summary>As if <c>COLUMNS</c> were <paramref name="columns"/>: for tests of what a row says rather than how it wraps.</summary>
    public static async Task<CliResult> RunWithColumns(int columns, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = CliEnvironment.Redirected(output, error) with { RedirectedColumns = columns };
        var code = await CliApp.RunAsync(args, TestCatalog.Standard(), env);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}

/// <summary>A fresh directory under the system temp folder, deleted at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hmc-tests-" + Guid.NewGuid().ToString("N"));

    public string[] Files(string pattern) => Directory.GetFiles(Path, pattern).Order(StringComparer.Ordinal).ToArray();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a crashed child process; the OS cleans temp.
        }
    }
}
