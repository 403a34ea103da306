using Microsoft.Playwright;

namespace AmvScreening.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here), headless. One per test class
/// (IClassFixture); each test opens its own context (cookies, storage) with <see cref="NewPhoneAsync"/> or
/// <see cref="NewLaptopAsync"/>.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The bound on every wait in browser tests: generous, since the suite runs browsers, libvlc and server
    /// processes side by side on two cores.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Chromium => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing (Debian package chromium). Run ./amv test, which installs it.");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A phone-sized page (390×844, touch) in a fresh context.</summary>
    public Task<IPage> NewPhoneAsync(Uri baseAddress, string locale = "en-US") => NewPageAsync(new BrowserNewContextOptions
    {
        BaseURL = baseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
    });

    /// <summary>A laptop-sized page (1366×768) in a fresh context.</summary>
    public Task<IPage> NewLaptopAsync(Uri baseAddress) => NewPageAsync(new BrowserNewContextOptions
    {
        BaseURL = baseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
    });

    private async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        var context = await Chromium.NewContextAsync(options);
        context.SetDefaultTimeout((float)Bound.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
