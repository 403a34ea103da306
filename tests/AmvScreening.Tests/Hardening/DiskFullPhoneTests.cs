using System.Net;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Web;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Hardening;

/// <summary>The phone in real Chromium while the server's disk is full: the vote stays on the phone, the page says the
/// server is busy, and the vote is saved by itself once space returns.</summary>
public sealed class DiskFullPhoneTests(Browser browser) : IClassFixture<Browser>
{
    static DiskFullPhoneTests() => VoterPageChecks.Init();

    [Fact]
    public async Task VoteWhileTheDiskIsFull_IsKeptOnThePhone_AsServerBusy_AndSavedWhenSpaceReturns()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 24);
        await using var show = await VoterShow.StartAsync(dataDirectory: disk.Path);
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);
        var page = await show.OpenPhoneAsync(browser);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(Star(page, entry.Title, 1)).ToBeVisibleAsync();
        // Joining writes too (the voter's row): the other phones join before the disk fills.
        using var http = show.Server.CreateAnonymousClient();
        var room = await show.RoomCodeAsync();
        var others = new Queue<VoterClient>();
        for (var i = 0; i < 300; i++)
        {
            others.Enqueue(await VoterClient.JoinAsync(http, room));
        }

        await disk.FillAsync();
        // Reading is not writing: the room code still reads while the disk is full.
        Assert.Equal(room, await show.RoomCodeAsync());

        // A vote may still fit in room SQLite holds already: vote from other phones until one is refused, then tap,
        // and tap again with another score should the tap still have fitted.
        var status = page.Locator(".now .status");
        var score = 0;
        for (var tap = 5; tap >= 2 && score == 0; tap--)
        {
            await UntilAVoteIsRefusedAsync(others, entry.Id);
            await Star(page, entry.Title, tap).ClickAsync();
            await Expect(status).ToHaveTextAsync(new Regex($"^(Server busy: {tap} of 5|Saved: {tap} of 5)"));
            score = (await status.TextContentAsync())!.StartsWith("Server busy", StringComparison.Ordinal) ? tap : 0;
        }

        Assert.True(score > 0, "Every tap was saved although the disk was full.");
        await Expect(status).ToHaveTextAsync($"Server busy: {score} of 5 kept on this phone and sent again in a moment.");
        await Expect(page.Locator(".waiting")).ToHaveTextAsync("1 vote waiting to be sent");
        await Expect(page.Locator(".conn")).Not.ToHaveTextAsync("Offline");
        await VoterPageChecks.AssertAccessibleAsync(page, "server busy");
        await VoterPageChecks.ScreenshotAsync(page, "server-busy");

        var (before, _) = await show.TallyAsync(entry.Id);

        disk.Free();

        await Expect(status).ToHaveTextAsync($"Saved: {score} of 5. Tap to change.");
        await Expect(page.Locator(".waiting")).ToBeHiddenAsync();
        Assert.Equal(before + 1, (await show.TallyAsync(entry.Id)).Online);
    }

    private static ILocator Star(IPage page, string title, int score) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Rate {score} of 5 stars for {title}", Exact = true });

    /// <summary>Votes from other phones until one is refused with 503: a few may still fit in space SQLite holds.</summary>
    private static async Task UntilAVoteIsRefusedAsync(Queue<VoterClient> others, int entryId)
    {
        while (others.TryDequeue(out var voter))
        {
            var response = await voter.VoteAsync(entryId, 3).WaitAsync(TimeSpan.FromSeconds(10));
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Fail("No vote was refused with a full disk.");
    }
}
