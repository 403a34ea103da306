using System.Collections.Concurrent;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// A phone that misses a voting push (real Chromium, the real server): its hub socket runs through Playwright, which
/// takes one <c>VotingChanged</c> message out of what the server sends. The phone cannot know the entry opened; at the
/// next change the version does not follow the one it holds, so it fetches the snapshot and shows both.
/// </summary>
public sealed class VoterMissedPushTests(Browser browser) : IClassFixture<Browser>
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task AMissedVotingPush_IsNoticedAtTheNextOne_AndThePhoneFetchesTheSnapshot()
    {
        await using var show = await VoterShow.StartAsync();
        var page = await show.NewPhoneAsync(browser);
        var toDrop = 0;
        var dropped = new ConcurrentQueue<string>();
        await page.RouteWebSocketAsync("**/hubs/show**", phone =>
        {
            var server = phone.ConnectToServer();
            server.OnMessage(frame =>
            {
                // A frame may hold several SignalR messages, each ended by the record separator: only the one goes.
                var kept = (frame.Text ?? "").Split(RecordSeparator).Where(message =>
                {
                    if (!message.Contains($"\"target\":\"{ShowHubMethods.VotingChanged}\"") || Interlocked.Exchange(ref toDrop, 0) == 0)
                    {
                        return true;
                    }

                    dropped.Enqueue(message);
                    return false;
                });
                var text = string.Join(RecordSeparator, kept);
                if (text.Length > 0)
                {
                    phone.Send(text);
                }
            });
        });
        var snapshotsFetched = 0;
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == "/api/voting")
            {
                Interlocked.Increment(ref snapshotsFetched);
            }
        };
        await page.GotoAsync($"/v/{await show.RoomCodeAsync()}");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");
        Assert.Equal(1, Volatile.Read(ref snapshotsFetched));

        // The first video opens its entry; that push never reaches the phone, which still says voting has not opened.
        var (first, second) = (show.Entries[0], show.Entries[1]);
        Interlocked.Exchange(ref toDrop, 1);
        await show.PlayAsync(first.Id);
        // Pushes keep their order: once the phone shows the video, the voting push before it has been through the route.
        await Expect(page.Locator("#now-h")).ToHaveTextAsync("Now playing");
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(first.Title);
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting opens when the video starts.");
        Assert.Single(dropped);
        Assert.Contains("\"entryOpened\"", dropped.Single());
        Assert.Equal(1, Volatile.Read(ref snapshotsFetched));

        // The second video's push does not follow the version held: the phone fetches the snapshot, and both are open.
        await show.PlayAsync(second.Id);
        await Expect(page.Locator("#now-title")).ToHaveTextAsync(second.Title);
        await Expect(Star(page, 4, second.Title)).ToBeVisibleAsync();
        await Expect(Star(page, 4, first.Title)).ToBeVisibleAsync();
        Assert.Equal(2, Volatile.Read(ref snapshotsFetched));
        Assert.Equal("1", await page.Locator("body").GetAttributeAsync("data-synced"));

        // A change that follows on is applied without fetching.
        await show.PostAsync($"/api/voting/categories/{first.CategoryId}/close");
        await Expect(page.Locator(".now .status")).ToHaveTextAsync("Voting for this category has closed.");
        Assert.Equal(2, Volatile.Read(ref snapshotsFetched));
    }

    private static ILocator Star(IPage page, int score, string title) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Rate {score} of 5 stars for {title}", Exact = true });
}
