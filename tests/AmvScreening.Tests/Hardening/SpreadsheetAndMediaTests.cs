using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Hardening;

/// <summary>What leaves the server is safe where it lands: no CSV cell opens as a spreadsheet formula (and the finalists'
/// CSV still imports back unchanged), and no video path leads the player outside the media root.</summary>
public sealed class SpreadsheetAndMediaTests : IDisposable
{
    private const string FormulaStarts = "=+-@\t\r";

    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task EveryCsvExport_WritesFormulaLikeCells_AsText()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 3))[0];
        string[] titles = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1+1)"];
        for (var i = 0; i < titles.Length; i++)
        {
            await TestContest.ExecuteAsync(_server, "UPDATE entries SET title = @title, editors = json_array(@editor) WHERE id = @id",
                new { id = category.Entries[i], title = titles[i], editor = "-2+3" });
        }

        await TestContest.ExecuteAsync(_server, "UPDATE categories SET name = '\t=1+1' WHERE id = @id", new { id = category.Id });
        using var coordinator = await _server.CreateStaffClientAsync();
        await TestContest.SetVotingAsync(coordinator, category.Id, "open");
        await TestContest.VoteAsync(_server, coordinator, category.Entries[0], 4, 5);
        Assert.Equal(HttpStatusCode.Created, (await coordinator.PostAsJsonAsync("/api/awards", new { name = "=Judges' Choice", entryId = category.Entries[1] })).StatusCode);

        foreach (var path in new[] { "/api/results/export.csv", "/api/votes/export.csv", "/api/contest/export.csv" })
        {
            var response = await coordinator.GetAsync(path).WaitAsync(Bound);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
            var cells = rows.SelectMany(r => r).ToList();
            Assert.DoesNotContain(cells, c => c.Length > 0 && FormulaStarts.Contains(c[0]));
            Assert.Contains("'" + titles[0], cells);
        }
    }

    [Fact]
    public async Task FinalistsCsv_WithFormulaLikeAndApostropheTitles_ImportsBackUnchanged()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var contest = ContestApi.SampleContest();
        string[] titles = ["=1+1", "'Til Death", "'=already escaped", "''+twice", "-Rebirth-", "@home", "Plain"];
        var finalists = contest["finalists"]!.AsArray();
        for (var i = 0; i < titles.Length; i++)
        {
            finalists[i]!["title"] = titles[i];
            finalists[i]!["editors"] = new JsonArray("+Editor", "Second");
        }

        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, contest)).Status);
        var before = await ContestApi.GetFinalistsAsync(coordinator);
        var csv = Encoding.UTF8.GetString(await ContestApi.GetBytesAsync(coordinator, "/api/contest/export.csv"));

        var import = await ContestApi.ImportAsync(coordinator, csv, "text/csv");

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.Equal(before, await ContestApi.GetFinalistsAsync(coordinator));
        Assert.Equal(titles, before.Take(titles.Length).Select(f => f.Title));
    }

    public static TheoryData<string> OutsideTheMediaRoot =>
    [
        "../../../../etc/passwd", "/etc/passwd", "..\\..\\..\\..\\etc\\passwd", "C:\\Windows\\win.ini", "a/../../b.mp4",
        "./../x.mp4", "a/b/../../../x.mp4", "upbeat-fun/\n01.mp4", "x.mp4\u0000.txt", "\\\\server\\share\\x.mp4", "..",
    ];

    [Theory]
    [MemberData(nameof(OutsideTheMediaRoot))]
    public async Task VideoPathOutsideTheMediaRoot_IsRefused_ByTheJsonAndCsvImports_AndTheEditor(string file)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await ContestApi.ImportAsync(coordinator, ContestApi.SampleContest())).Status);
        var entry = (await ContestApi.GetContestAsync(coordinator)).GetProperty("entries")[0];
        var before = await DatabaseDump.TakeAsync(_server.DatabasePath);

        var json = ContestApi.SampleContest();
        json["finalists"]![0]!["file"] = file;
        var jsonImport = await ContestApi.ImportAsync(coordinator, json);
        Assert.True(jsonImport.Errors.ContainsKey("finalists[0].file"), jsonImport.Describe());

        var csv = $"category,order,title,editors,music_artist,music_title,sources,file\nUpbeat/Fun,1,T,E,A,M,S,\"{file.Replace("\"", "\"\"")}\"\n";
        var csvImport = await ContestApi.ImportAsync(coordinator, csv, "text/csv");
        Assert.True(csvImport.Errors.ContainsKey("row 2: file"), csvImport.Describe());

        var fields = new { categoryId = entry.GetProperty("categoryId").GetInt32(), title = "T", editors = new[] { "E" }, musicArtist = "A", musicTitle = "M", file };
        foreach (var response in new[]
        {
            await coordinator.PostAsJsonAsync("/api/contest/entries", fields),
            await coordinator.PutAsJsonAsync($"/api/contest/entries/{entry.GetProperty("id").GetInt32()}", fields),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("file", out _));
        }

        Assert.Empty(DatabaseDump.Changed(before, await DatabaseDump.TakeAsync(_server.DatabasePath)));
    }

    [Fact]
    public async Task VideoPathsInsideTheMediaRoot_AreAccepted_RelativeOrAbsolute()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var root = Path.Combine(_server.DataDirectory, "media");
        string[] files = ["upbeat-fun/01.mp4", "a/../b.mp4", "./c.mp4", Path.Combine(root, "d.mp4"), "サンプル/ビデオ.mp4"];
        var json = ContestApi.SampleContest();
        for (var i = 0; i < files.Length; i++)
        {
            json["finalists"]![i]!["file"] = files[i];
        }

        var import = await ContestApi.ImportAsync(coordinator, json);

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.Equal(files, (await ContestApi.GetFinalistsAsync(coordinator)).Take(files.Length).Select(f => f.File));
    }

    [Fact]
    public async Task StoredVideoPathOutsideTheMediaRoot_IsNeverHandedToThePlayer()
    {
        var category = (await TestContest.SeedAsync(_server, categories: 1, entriesPerCategory: 3))[0];
        string[] stored = ["../../../../etc/passwd", "/etc/shadow", "fine/clip.mp4"];
        for (var i = 0; i < stored.Length; i++)
        {
            await TestContest.ExecuteAsync(_server, "UPDATE entries SET video_path = @path WHERE id = @id", new { id = category.Entries[i], path = stored[i] });
        }

        using var player = _server.CreatePlayerClient();
        var show = await player.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath, ShowJsonOptions).WaitAsync(Bound);

        Assert.Equal([null, null, "fine/clip.mp4"], show!.Categories.Single().Entries.Select(e => e.VideoPath));
    }
}
