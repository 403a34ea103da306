using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>Setting the contest up from the console, in real Chromium: import with errors beside the rows, details and
/// rules, categories and finalists, the room code and its QR pages.</summary>
public sealed class ConsoleSetupTests(Browser browser) : IClassFixture<Browser>, IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Import_JsonThenBrokenCsv_ShowsEachErrorBesideItsRow_TheFixedFileImports()
    {
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/import");

        // The whole contest from JSON: checked as soon as it is chosen, then imported.
        await page.SetInputFilesAsync("#file", RepoPaths.Of("samples", "kumoricon-2023.json"));
        await Expect(page.Locator("#message")).ToContainTextAsync("The file is good: 7 categories, 21 finalists");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Imported: 7 categories, 21 finalists.");

        // The broken CSV: nothing imported, and each problem stands beside its row (the file's line numbers).
        await page.SetInputFilesAsync("#file", RepoPaths.Of("samples", "broken-three-rows.csv"));
        await Expect(page.Locator("#message")).ToContainTextAsync("3 problem(s) found");
        await Expect(page.Locator("tr.has-error")).ToHaveCountAsync(3);
        await Expect(page.Locator("tr[data-row='row 4'] td.errors")).ToContainTextAsync("category: Unknown category 'Dramma'");
        await Expect(page.Locator("tr[data-row='row 6'] td.errors")).ToContainTextAsync("title: Required.");
        await Expect(page.Locator("tr[data-row='row 8'] td.errors")).ToContainTextAsync("order: Order 1 is used twice in 'Drama/Sentiments' (also row 7).");
        await Expect(page.Locator("tr[data-row='row 2']")).Not.ToHaveClassAsync("has-error");
        await ConsoleSupport.ScreenshotAsync(page, "import");
        using var coordinator = await _server.CreateStaffClientAsync();
        Assert.Equal(21, (await ContestApi.GetFinalistsAsync(coordinator)).Count);

        // Fixed in the page: the misspelt row goes (it repeats row 7), the title is filled in, the order made unique.
        var lines = (await page.Locator("#text").InputValueAsync()).Split('\n').ToList();
        lines[5] = lines[5].Replace("Intensity,2,,", "Intensity,2,Steel and Static,", StringComparison.Ordinal);
        lines[7] = lines[7].Replace("Drama/Sentiments,1,", "Drama/Sentiments,2,", StringComparison.Ordinal);
        lines.RemoveAt(3);
        await page.Locator("#text").FillAsync(string.Join('\n', lines));
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("The file is good");
        await Expect(page.Locator("tr.has-error")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Imported: 7 categories, 7 finalists.");
        var finalists = await ContestApi.GetFinalistsAsync(coordinator);
        Assert.Contains(finalists, f => f.Title == "Steel and Static");
        Assert.Equal(7, finalists.Count);
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task Setup_ShowsFieldErrorsBesideTheFields_ThenSavesTheRules()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");
        await Expect(page.GetByLabel("Contest name")).ToHaveValueAsync("Test Con AMV Contest");

        await page.GetByLabel("Highest score").FillAsync("11");
        await page.GetByLabel("Year").FillAsync("1200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await Expect(page.Locator(".field-error[data-for='voting.scoreMax']")).ToContainTextAsync("at most 10");
        await Expect(page.Locator(".field-error[data-for='year']")).ToContainTextAsync("between 1900 and 9999");
        await Expect(page.GetByLabel("Highest score")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("Highest score").FillAsync("10");
        await page.GetByLabel("Year").FillAsync("2027");
        await page.GetByLabel("the scores: the finalist with the best mean").CheckAsync();
        await page.GetByLabel("The Best In Show winner also keeps its category prize").UncheckAsync();
        await Expect(page.GetByLabel("the winner alone")).ToBeCheckedAsync();
        await page.GetByLabel("the placings: runners-up with their mean and vote count, as bars").CheckAsync();
        await page.GetByLabel("Close a category by itself after (minutes)").FillAsync("15");
        await page.GetByLabel("Vote with ballot cards: only phones holding a card vote").CheckAsync();
        await page.GetByLabel("at each category’s title card").CheckAsync();
        await page.GetByLabel("every (minutes)").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await Expect(page.Locator(".field-error[data-for='roomCode.rotateEveryMinutes']")).ToContainTextAsync("Minutes from 1 to 1440");
        await page.GetByLabel("every (minutes)").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Saved.");
        await Expect(page.Locator(".field-error")).ToHaveCountAsync(0);
        await ConsoleSupport.ScreenshotAsync(page, "setup");

        var voting = await coordinator.GetFromJsonAsync<VotingSnapshot>("/api/voting");
        Assert.Equal((1, 10, "top-score"), (voting!.ScoreMin, voting.ScoreMax, voting.BestInShowMethod));
        var details = (await ContestApi.GetContestAsync(coordinator)).GetProperty("contest");
        Assert.Equal(2027, details.GetProperty("year").GetInt32());
        Assert.Equal(15, details.GetProperty("voting").GetProperty("autoCloseMinutes").GetInt32());
        Assert.False(details.GetProperty("voting").GetProperty("bestInShowKeepsCategoryPrize").GetBoolean());
        Assert.True(details.GetProperty("voting").GetProperty("requireCards").GetBoolean());
        Assert.True(voting.RequireCards);
        Assert.True(details.GetProperty("roomCode").GetProperty("rotateAtCategoryCard").GetBoolean());
        Assert.Equal(30, details.GetProperty("roomCode").GetProperty("rotateEveryMinutes").GetInt32());
        Assert.Equal("placings", details.GetProperty("prizegiving").GetString());

        // The room page says how the contest votes and when its code rotates.
        await page.GotoAsync("/console/room");
        await Expect(page.Locator("#rotation")).ToContainTextAsync("at each category's title card and every 30 minutes");
        await Expect(page.Locator("main")).ToContainTextAsync("This contest votes with ballot cards");
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task Finalists_AddEditReorderDisqualify_FromThePage()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var c = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/finalists");

        // A new category, then a finalist in it; a missing field is named beside it.
        await page.GetByLabel("Category name").FillAsync("Trailers");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Category Trailers added.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a finalist" }).ClickAsync();
        var dialog = page.Locator("#entry-dialog");
        await dialog.GetByLabel("Category").SelectOptionAsync(new SelectOptionValue { Label = "Trailers" });
        await dialog.GetByLabel("Title", new() { Exact = true }).FillAsync("The Last Log Pose");
        await dialog.GetByLabel("Music artist").FillAsync("Hans Zimmer");
        await dialog.GetByLabel("Music title").FillAsync("Time");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save finalist" }).ClickAsync();
        await Expect(dialog.Locator(".field-error[data-for='editors']")).ToHaveTextAsync("At least one editor is required.");
        await dialog.GetByLabel("Editors").FillAsync("Straw Hat Cuts | Merry Edits");
        await dialog.GetByLabel("Anime sources").FillAsync("One Piece");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save finalist" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("The Last Log Pose saved.");

        // Steel Rain up before Blade Dance; Pudding Heist disqualified; Tea Time Tornado renamed.
        await page.GetByRole(AriaRole.Button, new() { Name = "Move Steel Rain up" }).ClickAsync();
        await Expect(page.Locator($"section[data-category='{c.Action}'] tbody tr").First).ToHaveAttributeAsync("data-entry", c.A2.ToString(CultureInfo.InvariantCulture));
        await page.Locator($"tr[data-entry='{c.C1}']").GetByRole(AriaRole.Button, new() { Name = "Disqualify" }).ClickAsync();
        await Expect(page.Locator($"tr[data-entry='{c.C1}']")).ToHaveClassAsync("disqualified");
        await page.Locator($"tr[data-entry='{c.C2}']").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByLabel("Title", new() { Exact = true }).FillAsync("Tea Time Typhoon");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save finalist" }).ClickAsync();
        await Expect(page.Locator($"tr[data-entry='{c.C2}'] .title")).ToHaveTextAsync("Tea Time Typhoon");
        await ConsoleSupport.ScreenshotAsync(page, "finalists");

        var finalists = await ContestApi.GetFinalistsAsync(coordinator);
        Assert.Equal(["Steel Rain", "Blade Dance", "Pudding Heist", "Tea Time Typhoon", "The Last Log Pose"], finalists.Select(f => f.Title));
        Assert.True(finalists.Single(f => f.Title == "Pudding Heist").Disqualified);
        var trailer = finalists.Single(f => f.Title == "The Last Log Pose");
        Assert.Equal(("Trailers", 1, "Straw Hat Cuts\u001fMerry Edits"), (trailer.Category, trailer.Order, trailer.Editors));
        var voting = await coordinator.GetFromJsonAsync<JsonElement>("/api/voting");
        Assert.Equal(3, voting.GetProperty("categories").GetArrayLength());
        ConsoleSupport.AssertNoErrors(errors);
    }

    [Fact]
    public async Task RotatingTheCode_ChangesTheRoomPage_AndTheFullScreenQrFollowsLive()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var before = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!;
        var room = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(room);
        await ConsoleSupport.SignInAsync(room, then: "/console/room");
        await ConsoleSupport.WaitLiveAsync(room);
        var screen = await room.Context.NewPageAsync();
        var screenErrors = ConsoleSupport.CollectErrors(screen);
        await screen.SetViewportSizeAsync(1366, 768);
        await screen.GotoAsync("/console/qr");
        await Expect(screen.Locator("body")).ToHaveAttributeAsync("data-live", "true");
        await Expect(screen.Locator("#room-code")).ToHaveTextAsync(before.Code);

        room.Dialog += (_, dialog) => dialog.AcceptAsync();
        await room.GetByRole(AriaRole.Button, new() { Name = "Rotate the code" }).ClickAsync();
        await Expect(room.Locator("#room-code")).Not.ToHaveTextAsync(before.Code);
        var after = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room"))!;
        Assert.NotEqual(before.Code, after.Code);

        // Both pages show the new code, and their QR images are reloaded for it and drawn.
        foreach (var page in new[] { room, screen })
        {
            await Expect(page.Locator("#room-code")).ToHaveTextAsync(after.Code);
            await Expect(page.Locator("#join-url")).ToHaveTextAsync(after.JoinUrl);
            await Expect(page.Locator("#qr")).ToHaveAttributeAsync("src", $"/qr.svg?code={after.Code}");
            await page.WaitForFunctionAsync("() => { const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0; }");
        }

        // The image the screen shows is the server's QR of the new join URL.
        var shown = await screen.EvaluateAsync<string>("async () => await (await fetch(document.getElementById('qr').src)).text()");
        Assert.Equal(await coordinator.GetStringAsync("/qr.svg"), shown);
        await ConsoleSupport.ScreenshotAsync(screen, "qr", fullPage: false);

        // A poster made on the room page: its own code (not the screen's), its join URL, its QR, the page size asked for.
        await room.GetByLabel("Label").First.FillAsync("Main entrance");
        await room.GetByRole(AriaRole.Button, new() { Name = "New poster code" }).ClickAsync();
        var row = room.Locator("#posters tr", new() { HasText = "Main entrance" });
        await Expect(row).ToHaveCountAsync(1);
        var posterCode = await row.Locator("code").InnerTextAsync();
        Assert.NotEqual(after.Code, posterCode);
        var posterUrl = after.JoinUrl.Replace(after.Code, posterCode);
        await screen.GotoAsync((await row.GetByRole(AriaRole.Link, new() { Name = "Letter" }).GetAttributeAsync("href"))!);
        await Expect(screen.Locator(".poster-sheet #room-code")).ToHaveTextAsync(posterCode);
        await Expect(screen.Locator(".poster-sheet")).ToContainTextAsync(posterUrl);
        await Expect(screen.Locator(".poster-sheet")).ToContainTextAsync("Main entrance");
        Assert.Contains("size: letter portrait", await screen.Locator("head style").InnerTextAsync());
        await screen.GotoAsync((await row.GetByRole(AriaRole.Link, new() { Name = "Print A4" }).GetAttributeAsync("href"))!);
        Assert.Contains("size: A4 portrait", await screen.Locator("head style").InnerTextAsync());
        await screen.SetViewportSizeAsync(794, 1123); // A4 at 96 dpi
        await screen.EmulateMediaAsync(new() { Media = Media.Print });
        await ConsoleSupport.ScreenshotAsync(screen, "poster-print", fullPage: false);
        var picture = Path.Combine(Path.GetTempPath(), $"amv-poster-{Guid.NewGuid():N}.png");
        try
        {
            await screen.Locator(".poster-sheet .qr").ScreenshotAsync(new() { Path = picture });
            var decoded = await ExternalProcess.RunAsync(ExternalProcess.Require("zbarimg", "zbar-tools"), ["--quiet", "--raw", picture], TimeSpan.FromSeconds(20));
            Assert.Equal(posterUrl, decoded.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(picture);
        }

        ConsoleSupport.AssertNoErrors(errors, screenErrors);
    }

    [Fact]
    public async Task RoomPage_MakesABatchOfCards_ReleasesACardFromALostPhone_AndRevokesTheBatch()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = await ConsoleSupport.ImportSmallContestAsync(coordinator);
        await TestContest.SetVotingAsync(coordinator, contest.Action, "open");
        var page = await browser.NewLaptopAsync(_server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/room");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GetByLabel("How many cards").FillAsync("0");
        await page.GetByLabel("Label").Nth(1).FillAsync("Saturday, door A");
        await page.GetByRole(AriaRole.Button, new() { Name = "New batch" }).ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("size: From 1 to 10000 cards.");
        await page.GetByLabel("How many cards").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "New batch" }).ClickAsync();
        var row = page.Locator("#batches tr", new() { HasText = "Saturday, door A" });
        await Expect(row).ToHaveCountAsync(1);
        var batchId = long.Parse((await row.GetAttributeAsync("data-batch"))!, CultureInfo.InvariantCulture);
        Assert.Equal($"/console/cards/print?batch={batchId}&from=1&to=25", await row.GetByRole(AriaRole.Link, new() { Name = "Print cards 1 to 25 of Saturday, door A" }).GetAttributeAsync("href"));

        // A phone holds card 7 and votes; it is lost: staff release the card from the page, a new phone takes over.
        var card = (await CardTesting.PrintAsync(coordinator, batchId))[6];
        var lost = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice());
        (await lost.VoteAsync(contest.A1, 5)).EnsureSuccessStatusCode();
        await page.GetByLabel("Card number").FillAsync("7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Release to a new phone" }).ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("Card 7 of Saturday, door A (1–25) released");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await lost.VoteAsync(contest.A1, 1)).StatusCode);
        await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), card.Key, CardTesting.NewDevice());
        await page.GetByLabel("Card number").FillAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Release to a new phone" }).ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("This card is on no phone yet");
        // The booth, at the help desk, releases a card from its remote.
        var held = (await CardTesting.PrintAsync(coordinator, batchId))[8];
        var dead = await VoterClient.JoinWithCardAsync(_server.CreateAnonymousClient(), held.Key, CardTesting.NewDevice());
        var booth = await browser.NewPhoneAsync(_server.BaseAddress);
        var boothErrors = ConsoleSupport.CollectErrors(booth);
        await ConsoleSupport.SignInAsync(booth, Roles.Booth, then: "/console/booth");
        await ConsoleSupport.WaitLiveAsync(booth);
        await booth.GetByLabel("Batch").SelectOptionAsync(new SelectOptionValue { Label = "Saturday, door A (1–25)" });
        await booth.GetByLabel("Card number").FillAsync("9");
        await booth.GetByRole(AriaRole.Button, new() { Name = "Release to a new phone" }).ClickAsync();
        await Expect(booth.Locator("#message")).ToContainTextAsync("Card 9 of Saturday, door A (1–25) released");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await dead.VoteAsync(contest.A1, 1)).StatusCode);
        ConsoleSupport.AssertNoErrors(boothErrors);

        await page.ReloadAsync();
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("2");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await ConsoleSupport.ScreenshotAsync(page, "room");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke the batch Saturday, door A" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Batch \"Saturday, door A\" revoked.");
        await Expect(row).ToContainTextAsync("Revoked");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("0 of 1");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        ConsoleSupport.AssertNoErrors(errors);
    }
}
