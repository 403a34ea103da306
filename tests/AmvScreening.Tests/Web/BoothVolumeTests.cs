using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static AmvScreening.Tests.Support.HubTesting;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The booth remote's volume buttons, in real Chromium: the command reaches the player, and the level the
/// player reports back is what the booth shows.</summary>
public sealed class BoothVolumeTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task VolumeAndMute_FromTheBoothRemote_ReachThePlayer_AndTheReportedLevelIsShown()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await using var player = _server.CreatePlayerHub();
        var commands = player.Received<PlayerCommand>(ShowHubMethods.PlayerCommand);
        await player.StartAndSyncAsync();
        var started = DateTimeOffset.UtcNow;
        await ReportAsync(player, 1, c.A1, started, PlayerAudio.Default);
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth);
        await ConsoleSupport.WaitLiveAsync(booth);
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("Volume 100 %");
        await Expect(booth.Locator("#unmute")).ToBeDisabledAsync();

        await booth.GetByRole(AriaRole.Button, new() { Name = "Volume −" }).ClickAsync();
        Assert.Equal(PlayerCommandKind.VolumeDown, (await commands.NextAsync()).Kind);
        await Expect(booth.Locator("#log li[data-kind=volumeDown]")).ToHaveAttributeAsync("data-state", "sent");
        await ReportAsync(player, 2, c.A1, started, new PlayerAudio(95, false));
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("Volume 95 %");
        await Expect(booth.Locator("#log li[data-kind=volumeDown]")).ToHaveAttributeAsync("data-state", "acted");

        await booth.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true }).ClickAsync();
        Assert.Equal(PlayerCommandKind.Mute, (await commands.NextAsync()).Kind);
        await ReportAsync(player, 3, c.A1, started, new PlayerAudio(95, true));
        await Expect(booth.Locator("#volume")).ToHaveTextAsync("MUTED (volume 95 %)");
        await Expect(booth.Locator("#mute")).ToBeDisabledAsync();
        await booth.GetByRole(AriaRole.Button, new() { Name = "Unmute" }).ClickAsync();
        Assert.Equal(PlayerCommandKind.Unmute, (await commands.NextAsync()).Kind);
        await ConsoleSupport.ScreenshotAsync(booth, "booth-volume");
        ConsoleSupport.AssertNoErrors(errors);
    }

    private static Task ReportAsync(HubConnection player, long sequence, int entryId, DateTimeOffset startedAt, PlayerAudio audio) =>
        player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
            new OnScreenReport(sequence, ShowPhase.Video, entryId, null, startedAt, 200, 0, audio)).WaitAsync(Bound);
}
