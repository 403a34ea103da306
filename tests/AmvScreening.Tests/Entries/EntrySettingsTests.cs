using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Entries;

/// <summary>The contest's settings for entries (docs/import-formats.md, docs/entries.md): in the contest file (import,
/// export, the validator), the details API and the console's Setup page, and categories' descriptions and finalist
/// limits; a JSON import keeps the categories entries were submitted in.</summary>
public sealed class EntrySettingsTests(Browser browser) : IClassFixture<Browser>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static JsonObject ContestWithEntries()
    {
        var contest = ContestApi.SampleContest();
        contest["contest"]!["entries"] = new JsonObject
        {
            ["opensAt"] = "2026-07-01T00:00",
            ["deadline"] = "2026-08-15T23:59",
            ["timeZone"] = "America/Los_Angeles",
            ["premieredAfter"] = "2025-09-01",
            ["maxPerPerson"] = 3,
            ["maxPerPersonPerCategory"] = 1,
        };
        var categories = contest["categories"]!.AsArray();
        categories[0] = new JsonObject { ["name"] = categories[0]!.GetValue<string>(), ["description"] = "Videos that make you smile.", ["finalistLimit"] = 4 };
        return contest;
    }

    [Fact]
    public async Task ContestFile_CarriesTheEntrySettingsAndCategories_ExportGivesTheSameBack()
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        var import = await ContestApi.ImportAsync(coordinator, ContestWithEntries());
        Assert.True(import.Status == HttpStatusCode.OK, import.Body.ToString());

        var exported = JsonNode.Parse(await ContestApi.GetBytesAsync(coordinator, "/api/contest/export"))!;
        var entries = exported["contest"]!["entries"]!;
        Assert.Equal("2026-07-01T00:00:00-07:00", entries["opensAt"]!.GetValue<string>());
        Assert.Equal("2026-08-15T23:59:00-07:00", entries["deadline"]!.GetValue<string>());
        Assert.Equal("America/Los_Angeles", entries["timeZone"]!.GetValue<string>());
        Assert.Equal("2025-09-01", entries["premieredAfter"]!.GetValue<string>());
        Assert.Equal("Videos that make you smile.", exported["categories"]![0]!["description"]!.GetValue<string>());
        Assert.Equal(4, exported["categories"]![0]!["finalistLimit"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.String, exported["categories"]![1]!.GetValueKind()); // a plain category stays a name
        Assert.Equal("2026-08-16T06:59:00.0000000Z", await ScalarAsync(server, "SELECT entry_deadline FROM contest"));

        // Imported again, the export is the same.
        var again = await ContestApi.ImportAsync(coordinator, exported);
        Assert.True(again.Status == HttpStatusCode.OK, again.Body.ToString());
        Assert.Equal(exported.ToJsonString(), JsonNode.Parse(await ContestApi.GetBytesAsync(coordinator, "/api/contest/export"))!.ToJsonString());
    }

    [Theory]
    [InlineData("timeZone", "\"Pacific Standard Time\"", "contest.entries.timeZone")]
    [InlineData("timeZone", "\"Mars/Base\"", "contest.entries.timeZone")]
    [InlineData("deadline", "\"next friday\"", "contest.entries.deadline")]
    [InlineData("deadline", "\"2026-06-01T00:00\"", "contest.entries.deadline")] // before opensAt
    [InlineData("premieredAfter", "\"2025-02-30\"", "contest.entries.premieredAfter")]
    [InlineData("maxPerPerson", "0", "contest.entries.maxPerPerson")]
    [InlineData("maxPerPerson", "\"3\"", "contest.entries.maxPerPerson")]
    [InlineData("maxPerPersonPerCategory", "4", "contest.entries.maxPerPersonPerCategory")]
    [InlineData("colour", "\"red\"", "contest.entries.colour")]
    public async Task ContestFile_WithABadEntrySetting_IsRefused_NamingIt(string field, string value, string named)
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        var contest = ContestWithEntries();
        contest["contest"]!["entries"]![field] = JsonNode.Parse(value);

        var import = await ContestApi.ImportAsync(coordinator, contest);

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.True(import.Body.GetProperty("errors").TryGetProperty(named, out _), import.Body.ToString());
    }

    [Theory]
    [InlineData("{\"name\":\"X\",\"finalistLimit\":0}", "categories[0].finalistLimit")]
    [InlineData("{\"name\":\"X\",\"finalistLimit\":101}", "categories[0].finalistLimit")]
    [InlineData("{\"description\":\"no name\"}", "categories[0].name")]
    [InlineData("{\"name\":\"X\",\"colour\":1}", "categories[0].colour")]
    [InlineData("3", "categories[0]")]
    public async Task ContestFile_WithABadCategory_IsRefused_NamingIt(string category, string named)
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        var contest = ContestWithEntries();
        contest["categories"]!.AsArray()[0] = JsonNode.Parse(category);

        var import = await ContestApi.ImportAsync(coordinator, contest, dryRun: true);

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.True(import.Body.GetProperty("errors").TryGetProperty(named, out _), import.Body.ToString());
    }

    [Fact]
    public async Task Import_KeepsTheCategoriesEntriesWereSubmittedIn_AndRefusesToDropOne()
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        var contest = ContestWithEntries();
        contest["contest"]!["entries"]!["opensAt"] = null;
        contest["contest"]!["entries"]!["deadline"] = null;
        contest["contest"]!["entries"]!["premieredAfter"] = null;
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        using var anonymous = server.CreateAnonymousClient();
        var rules = await anonymous.GetFromJsonAsync<JsonElement>("/api/enter/rules");
        var category = rules.GetProperty("categories")[2];
        var form = new
        {
            categoryId = category.GetProperty("id").GetInt32(), title = "T", editors = new[] { "E" }, contactEmail = "e@example.org", musicArtist = "A",
            musicTitle = "S", sources = Array.Empty<string>(), premieredOn = "2026-01-01", permission = true,
        };
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/enter/submissions", form)).StatusCode);

        // The same file again: the category keeps its id, and so its entry.
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        Assert.Equal(category.GetProperty("id").GetInt32(), int.Parse(await ScalarAsync(server, "SELECT category_id FROM submissions")));
        Assert.Equal(category.GetProperty("name").GetString(), await ScalarAsync(server, "SELECT c.name FROM submissions s JOIN categories c ON c.id = s.category_id"));

        // Without that category: refused, naming it; nothing changed.
        contest["categories"]!.AsArray().RemoveAt(2);
        contest["finalists"] = new JsonArray([.. contest["finalists"]!.AsArray().Where(f => f!["category"]!.GetValue<string>() != category.GetProperty("name").GetString()).Select(f => f!.DeepClone())]);
        var refused = await ContestApi.ImportAsync(coordinator, contest);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains(category.GetProperty("name").GetString()!, refused.Body.GetProperty("errors").GetProperty("categories")[0].GetString());
    }

    [Fact]
    public async Task SetupPage_SetsTheEntryRules_AndTheCategoriesDescriptions_WhichTheRulesPageShows()
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync();
        await ConsoleSupport.ImportSmallContestAsync(coordinator);
        var page = await browser.NewLaptopAsync(server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(page);
        await ConsoleSupport.SignInAsync(page, then: "/console/setup");
        await Expect(page.Locator("#details")).ToHaveAttributeAsync("data-ready", "true");

        await page.GetByLabel("Time zone").FillAsync("Asia/Tokio");
        await page.GetByLabel("Deadline").FillAsync("2026-08-15T23:59");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await Expect(page.Locator(".field-error[data-for='entries.timeZone']")).ToContainTextAsync("IANA time zone");

        await page.GetByLabel("Time zone").FillAsync("Asia/Tokyo");
        await page.GetByLabel("Entries per person").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save details and rules" }).ClickAsync();
        await Expect(page.Locator("#message")).ToHaveTextAsync("Saved.");
        await Expect(page.GetByLabel("Deadline")).ToHaveValueAsync("2026-08-15T23:59:00+09:00");

        var first = page.Locator("form.entry-category").First;
        await first.GetByLabel("Description").FillAsync("Videos that make you smile.");
        await first.GetByLabel("Finalists at most").FillAsync("5");
        await first.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("saved.");
        await VoterPageChecks.AssertAccessibleAsync(page, "console setup with entries");

        using var anonymous = server.CreateAnonymousClient();
        var rules = await anonymous.GetFromJsonAsync<JsonElement>("/api/enter/rules").WaitAsync(Bound);
        Assert.Equal("Asia/Tokyo", rules.GetProperty("timeZone").GetString());
        Assert.Equal(new DateTimeOffset(2026, 8, 15, 14, 59, 0, TimeSpan.Zero), rules.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(2, rules.GetProperty("maxPerPerson").GetInt32());
        Assert.Equal("Videos that make you smile.", rules.GetProperty("categories")[0].GetProperty("description").GetString());
        Assert.Equal(5, rules.GetProperty("categories")[0].GetProperty("finalistLimit").GetInt32());
        ConsoleSupport.AssertNoErrors(errors);
    }

    private static async Task<string> ScalarAsync(AmvServer server, string sql)
    {
        await using var connection = await server.Services.GetRequiredService<AmvScreening.Server.Data.Db>().OpenAsync();
        return Convert.ToString(await Dapper.SqlMapper.ExecuteScalarAsync(connection, sql), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
