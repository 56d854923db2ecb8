using PuppeteerSharp;

namespace HighMemConcurrency.Cli.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, for the tests that look at a page the CLI wrote (ci/test installs it; nothing is
/// downloaded at run time). Each launch gets its own profile directory, deleted with the browser.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Path = "/usr/bin/chromium";

    // The flags the machine notes prescribe: without the background-networking ones Chromium dials Google's hosts.
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly Fakes.TempDirectory _profile;

    private HeadlessChromium(IBrowser browser, Fakes.TempDirectory profile)
    {
        Browser = browser;
        _profile = profile;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> Launch()
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: run ci/test, which installs Debian's chromium package");
        var profile = new Fakes.TempDirectory();
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Path, Headless = true, Args = Flags, UserDataDir = profile.Path,
        });
        return new HeadlessChromium(browser, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _profile.Dispose();
    }
}
