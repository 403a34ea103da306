using System.Net.Http.Json;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>The printable sheet of ballot cards: 10 cards a page, each QR code decodes (zbarimg on Chromium's picture
/// of the printed page) to the phone app's link with that card's key, and the link works on a phone.</summary>
public sealed class CardSheetTests(Browser browser) : IClassFixture<Browser>
{
    static CardSheetTests() => VoterPageChecks.Init();

    [Fact]
    public async Task TheSheet_PrintsTenCardsAPage_EachQrDecodesToAWorkingLinkWithItsKey()
    {
        var zbarimg = ExternalProcess.Require("zbarimg", "zbar-tools");
        await using var show = await VoterShow.StartAsync();
        var batch = await CardTesting.CreateBatchAsync(show.Coordinator, 12, "Saturday, door A");
        var id = batch.GetProperty("id").GetInt64();
        var printed = await CardTesting.PrintAsync(show.Coordinator, id);

        var context = await browser.Chromium.NewContextAsync(new()
        {
            BaseURL = show.Server.BaseAddress.ToString(),
            ViewportSize = new() { Width = 794, Height = 1123 }, // A4 at 96 dpi
            DeviceScaleFactor = 2,
        });
        try
        {
            var page = await context.NewPageAsync();
            await ConsoleSupport.SignInAsync(page, Roles.Coordinator, then: $"/console/cards/print?batch={id}&paper=letter");
            await Expect(page.Locator(".ballot-card")).ToHaveCountAsync(12);
            await Expect(page.Locator(".card-page")).ToHaveCountAsync(2);
            await Expect(page.Locator(".ballot-card").First).ToContainTextAsync("Saturday, door A · No. 1");
            Assert.Contains("size: letter portrait", await page.Locator("head style").InnerTextAsync());
            // Printed (Chromium's own PDF, at the page size the sheet asks for): 12 cards make 2 pages.
            var pdf = System.Text.Encoding.Latin1.GetString(await page.PdfAsync(new() { PreferCSSPageSize = true }));
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(pdf, @"/Type\s*/Page\b"));
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await ConsoleSupport.ScreenshotAsync(page, "cards-print", fullPage: false);

            var picture = Path.Combine(Path.GetTempPath(), $"amv-cards-{Guid.NewGuid():N}.png");
            try
            {
                await page.Locator(".card-page").First.ScreenshotAsync(new() { Path = picture });
                var decoded = await ExternalProcess.RunAsync(zbarimg, ["--quiet", "--raw", picture], TimeSpan.FromSeconds(30));
                Assert.True(decoded.ExitCode == 0, decoded.StandardError);
                var links = decoded.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                // The sample contest's public address (what phones reach the server at) leads the link.
                var contest = await show.Coordinator.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/contest");
                var publicBase = contest.GetProperty("contest").GetProperty("publicBaseUrl").GetString();
                var expected = printed.Take(10).Select(c => $"{publicBase}/v#card={c.Key.Replace("-", "")}").ToHashSet();
                Assert.Equal(expected, links);

                // A link as decoded, opened on a phone (at this test server's address): it joins with that card.
                var phone = await show.NewPhoneAsync(browser);
                await phone.GotoAsync(new Uri(show.Server.BaseAddress, new Uri(links.First()).PathAndQuery + new Uri(links.First()).Fragment).ToString());
                await Expect(phone.Locator("body")).ToHaveAttributeAsync("data-screen", "ready");
                Assert.Equal("\"card\"", await phone.EvaluateAsync<string>("() => localStorage.getItem('amv.via')"));
                Assert.DoesNotContain("card=", phone.Url);
                var batches = await show.Coordinator.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/cards/batches");
                Assert.Equal(1, batches[0].GetProperty("claimed").GetInt32());
            }
            finally
            {
                File.Delete(picture);
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task ABigBatch_PrintsInSheetsOf500_AndARevokedBatchPrintsNothing()
    {
        await using var show = await VoterShow.StartAsync();
        var id = (await CardTesting.CreateBatchAsync(show.Coordinator, 1200)).GetProperty("id").GetInt64();
        Assert.Equal(500, (await CardTesting.PrintAsync(show.Coordinator, id)).Count);
        var last = await CardTesting.PrintAsync(show.Coordinator, id, from: 1001, to: 5000);
        Assert.Equal(Enumerable.Range(1001, 200), last.Select(c => c.Number));

        await show.PostAsync($"/api/cards/batches/{id}/revoke");
        var sheet = await show.Coordinator.GetStringAsync($"/console/cards/print?batch={id}");
        Assert.Contains("This batch has been revoked", sheet);
        Assert.Empty(await CardTesting.PrintAsync(show.Coordinator, id));
    }
}
