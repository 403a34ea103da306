using AmvScreening.Player.Show;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Player;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The booth remote in Chromium driving the real player (libvlc headless) through the server.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class ConsoleRealPlayerTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new(TestMedia.ServerSettings);
    private readonly string _state = Directory.CreateTempSubdirectory("amv-booth-player-").FullName;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task BoothRemoteNext_MovesTheHeadlessPlayerOn_AndTheRemoteShowsIt()
    {
        var clip = await TestMedia.ClipAsync(seconds: 30);
        await PlayerContest.ImportAsync(_server, clip, clip, clip);
        await using var player = await PlayerRun.StartRealAsync(_server, _state, settings => settings with
        {
            Show = new ShowOptions { Intro = TimeSpan.FromSeconds(30), Outro = TimeSpan.FromSeconds(30) },
            Rundown = new RundownOptions(CategoryCards: false),
        });
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth);
        await ConsoleSupport.WaitLiveAsync(booth);
        await Expect(booth.Locator("#now-title")).ToHaveTextAsync("Finalist 1");
        await Expect(booth.Locator("#presence")).ToHaveAttributeAsync("data-connected", "true");

        await booth.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        await Expect(booth.Locator("#now-title")).ToHaveTextAsync("Finalist 2");
        await Expect(booth.Locator("#log li[data-kind=next]")).ToHaveAttributeAsync("data-state", "acted");
        Assert.Equal("Finalist 2", player.Host.Sequencer!.Current!.Entry?.Title);
        ConsoleSupport.AssertNoErrors(errors);
    }
}
