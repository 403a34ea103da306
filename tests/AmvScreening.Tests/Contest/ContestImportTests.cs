using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Contest.ContestApi;

namespace AmvScreening.Tests.Contest;

/// <summary>Import and export over real HTTP, each test with its own server and database.</summary>
public sealed class ContestImportTests
{
    [Fact]
    public async Task SampleJson_ImportsTheWholeContest()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);

        var import = await ImportAsync(client, SampleContest());

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.True(import.Body.GetProperty("applied").GetBoolean());
        Assert.Equal(7, import.Body.GetProperty("categories").GetInt32());
        Assert.Equal(21, import.Body.GetProperty("finalists").GetInt32());
        var contest = await GetContestAsync(client);
        Assert.Equal("Kumoricon AMV Contest", contest.GetProperty("contest").GetProperty("name").GetString());
        Assert.Equal(2023, contest.GetProperty("contest").GetProperty("year").GetInt32());
        Assert.Equal(
            ["Upbeat/Fun", "Intensity", "Drama/Sentiments", "Trailers", "Fan Fiction", "Guilty Pleasures", "Melting Pot"],
            contest.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(21, (await GetFinalistsAsync(client)).Count);
    }

    [Fact]
    public async Task SampleCsv_GivesTheSameFinalistsAsSampleJson()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, SampleContest())).Status);
        var fromJson = await GetFinalistsAsync(client);
        var categoriesOnly = SampleContest();
        categoriesOnly["finalists"] = new JsonArray();
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, categoriesOnly)).Status);
        Assert.Empty(await GetFinalistsAsync(client));

        var import = await ImportAsync(client, Sample(SampleCsv), "text/csv");

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.Equal(21, import.Body.GetProperty("finalists").GetInt32());
        Assert.Equal(fromJson, await GetFinalistsAsync(client));
    }

    [Fact]
    public async Task BrokenCsv_IsRefusedWithThreeErrorsNamingRowAndField_AndChangesNothing()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, SampleContest())).Status);
        var before = await GetBytesAsync(client);

        var import = await ImportAsync(client, Sample(BrokenCsv), "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Equal(["row 4: category", "row 6: title", "row 8: order"], import.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("Unknown category 'Dramma'. Known: Upbeat/Fun, Intensity, Drama/Sentiments,", import.Errors["row 4: category"]);
        Assert.Contains("row 7", import.Errors["row 8: order"]);
        Assert.Contains("row 2: file", import.WarningFields);
        Assert.Equal(before, await GetBytesAsync(client));
    }

    [Fact]
    public async Task Export_ThenImport_GivesTheSameContest()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var contest = SampleContest();
        contest["contest"]!["voting"] = JsonNode.Parse("""{ "scoreMin": 0, "scoreMax": 10, "bestInShowMethod": "top-score", "bestInShowKeepsCategoryPrize": false, "autoCloseMinutes": 15 }""");
        contest["finalists"]![3]!["disqualified"] = true;
        contest["awards"] = JsonNode.Parse("""
            [ { "name": "Judges' Choice", "category": "Intensity", "order": 2, "note": "Sync, sync, sync." },
              { "name": "Technical Effects", "category": "Melting Pot", "order": 3 } ]
            """);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, contest)).Status);
        var before = await GetContestAsync(client);
        var export = Encoding.UTF8.GetString(await GetBytesAsync(client, "/api/contest/export"));

        using var other = new AmvServer();
        using var otherClient = await other.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var import = await ImportAsync(otherClient, export, "application/json");

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.Equal(before.ToString(), (await GetContestAsync(otherClient)).ToString());
        Assert.Equal(export, Encoding.UTF8.GetString(await GetBytesAsync(otherClient, "/api/contest/export")));
        Assert.Equal(2, before.GetProperty("awards").GetArrayLength());
    }

    [Fact]
    public async Task CsvExport_ThenImport_GivesTheSameFinalists_AndDropsTheAwardsWithAWarning()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var contest = SampleContest();
        contest["awards"] = JsonNode.Parse("""[ { "name": "Honorable Mention", "category": "Trailers", "order": 1 } ]""");
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, contest)).Status);
        var before = await GetFinalistsAsync(client);
        var csv = Encoding.UTF8.GetString(await GetBytesAsync(client, "/api/contest/export.csv"));

        var import = await ImportAsync(client, csv, "text/csv");

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.Contains("awards", import.WarningFields);
        Assert.Equal(before, await GetFinalistsAsync(client));
        Assert.Equal(0, (await GetContestAsync(client)).GetProperty("awards").GetArrayLength());
    }

    /// <summary>Sets one value of the sample contest (a path of names and indexes; "-" appends) and expects the
    /// import to be refused naming that field.</summary>
    [Theory]
    [InlineData("finalists/0/colour", "\"red\"", "finalists[0].colour")]
    [InlineData("judges", "[]", "judges")]
    [InlineData("finalists", "null", "finalists")]
    [InlineData("contest/voting/loudness", "11", "contest.voting.loudness")]
    [InlineData("contest/year", "\"2023\"", "contest.year")]
    [InlineData("contest/year", "1200", "contest.year")]
    [InlineData("contest/name", "\"  \"", "contest.name")]
    [InlineData("contest/publicBaseUrl", "\"amv.example\"", "contest.publicBaseUrl")]
    [InlineData("contest/limits/loudnessTargetLufs", "-32", "contest.limits.loudnessTargetLufs")]
    [InlineData("contest/limits/loudnessTargetLufs", "-13", "contest.limits.loudnessTargetLufs")]
    [InlineData("contest/limits/loudnessTargetLufs", "-23.5", "contest.limits.loudnessTargetLufs")]
    [InlineData("contest/limits/loudnessTargetLufs", "\"-23\"", "contest.limits.loudnessTargetLufs")]
    [InlineData("contest/voting/scoreMax", "1", "contest.voting.scoreMax")]
    [InlineData("contest/voting/scoreMin", "-1", "contest.voting.scoreMin")]
    [InlineData("contest/voting/bestInShowMethod", "\"loudest\"", "contest.voting.bestInShowMethod")]
    [InlineData("contest/voting/bestInShowKeepsCategoryPrize", "\"yes\"", "contest.voting.bestInShowKeepsCategoryPrize")]
    [InlineData("categories/-", "\"upbeat/fun\"", "categories[7]")]
    [InlineData("categories/-", "42", "categories[7]")]
    [InlineData("finalists/1/editors", "\"Deku Bean\"", "finalists[1].editors")]
    [InlineData("finalists/1/editors", "[]", "finalists[1].editors")]
    [InlineData("finalists/2/order", "0", "finalists[2].order")]
    [InlineData("finalists/2/order", "1.5", "finalists[2].order")]
    [InlineData("finalists/2/order", "\"3\"", "finalists[2].order")]
    [InlineData("finalists/2/order", "1", "finalists[2].order")]
    [InlineData("finalists/2/title", "null", "finalists[2].title")]
    [InlineData("finalists/2/musicArtist", "\"\"", "finalists[2].musicArtist")]
    [InlineData("finalists/2/category", "\"Dramma\"", "finalists[2].category")]
    [InlineData("finalists/-", "\"a finalist\"", "finalists[21]")]
    [InlineData("awards", "[ { \"name\": \"Judges' Choice\", \"category\": \"Trailers\", \"order\": 9 } ]", "awards[0].order")]
    public async Task Json_WithABadValue_IsRefusedNamingTheField(string path, string value, string field)
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var before = await GetBytesAsync(client);

        var import = await ImportAsync(client, Set(SampleContest(), path, JsonNode.Parse(value)));

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.True(import.Errors.Keys.SequenceEqual([field]), import.Describe());
        Assert.Equal(before, await GetBytesAsync(client));
    }

    [Fact]
    public async Task Json_WithSeveralProblems_ReportsEveryOne()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var contest = SampleContest();
        Set(contest, "contest/year", JsonValue.Create("soon"));
        Set(contest, "finalists/0/colour", JsonValue.Create("red"));
        Set(contest, "finalists/5/title", JsonValue.Create(""));
        Set(contest, "finalists/20/category", JsonValue.Create("Melting Pots"));

        var import = await ImportAsync(client, contest);

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Equal(["contest.year", "finalists[0].colour", "finalists[20].category", "finalists[5].title"], import.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{ \"contest\": ", "line 1")]
    [InlineData("{\n  \"contest\": {\n    \"name\": \"x\",,\n  }\n}", "line 3")]
    [InlineData("[1, 2]", "JSON object")]
    public async Task MalformedJson_IsRefusedNamingTheLine(string body, string message)
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);

        var import = await ImportAsync(client, body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Contains(message, import.Errors["body"]);
    }

    [Fact]
    public async Task MissingVideoFile_AndEmptyCategory_AreWarningsNotErrors()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var present = Path.Combine(server.DataDirectory, "media", "upbeat-fun", "01-kimi-no-beat-wa.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(present)!);
        await File.WriteAllBytesAsync(present, [0]).WaitAsync(TimeLimit);
        var contest = SampleContest();
        var finalists = contest["finalists"]!.AsArray();
        foreach (var melting in finalists.Where(f => (string?)f!["category"] == "Melting Pot").ToList())
        {
            finalists.Remove(melting);
        }

        var absolute = Path.Combine(server.DataDirectory, "media", "elsewhere.mp4"); // absolute, inside the media root
        await File.WriteAllBytesAsync(absolute, [0]).WaitAsync(TimeLimit);
        Set(contest, "finalists/1/file", JsonValue.Create(absolute));

        var import = await ImportAsync(client, contest);

        Assert.True(import.Status == HttpStatusCode.OK, import.Describe());
        Assert.True(import.Body.GetProperty("applied").GetBoolean());
        Assert.DoesNotContain("finalists[0].file", import.WarningFields);
        Assert.DoesNotContain("finalists[1].file", import.WarningFields);
        Assert.Contains("finalists[2].file", import.WarningFields);
        Assert.Contains("categories[6]", import.WarningFields);
        Assert.Equal(17, import.WarningFields.Count); // 16 of the 18 files are missing, and one category is empty
    }

    [Theory]
    [InlineData(Roles.Booth, HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    public async Task ImportAndExport_AreForCoordinatorsOnly(string? role, HttpStatusCode expected)
    {
        using var server = new AmvServer();
        using var client = role is null ? server.CreateAnonymousClient() : await server.CreateStaffClientAsync(role).WaitAsync(TimeLimit);
        using var content = new StringContent(Sample(SampleJson), Encoding.UTF8, "application/json");

        Assert.Equal(expected, (await client.PostAsync("/api/contest/import", content).WaitAsync(TimeLimit)).StatusCode);
        Assert.Equal(expected, (await client.GetAsync("/api/contest/export").WaitAsync(TimeLimit)).StatusCode);
        Assert.Equal(expected, (await client.GetAsync("/api/contest/export.csv").WaitAsync(TimeLimit)).StatusCode);
    }

    [Fact]
    public async Task UnicodeText_SurvivesImportAndBothExportsExactly()
    {
        string[] texts =
        [
            "君の名は。 「ユニコード」", "Cafe\u0301 and Café", "👩‍👩‍👧 🏳️‍🌈 🍙", "«Привет», \"quoted\", comma; semi;colon",
            "مرحبا بالعالم", "ｆｕｌｌ\u3000ｗｉｄｔｈ", "line one\nline two", "O'Brien, \"The\" Editor",
        ];
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var contest = SampleContest();
        for (var i = 0; i < texts.Length; i++)
        {
            var f = contest["finalists"]![i]!;
            foreach (var field in new[] { "title", "musicArtist", "musicTitle", "contentNote" })
            {
                f[field] = texts[i];
            }

            f["editors"] = new JsonArray(texts[i], "second editor");
            f["sources"] = new JsonArray("Steins;Gate", texts[i]);
        }

        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, contest)).Status);
        var imported = await GetFinalistsAsync(client);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(new[] { texts[i] }, new[] { imported[i].Title, imported[i].MusicArtist, imported[i].MusicTitle, imported[i].ContentNote }.Distinct());
            Assert.Equal($"{texts[i]}\u001fsecond editor", imported[i].Editors);
            Assert.Equal($"Steins;Gate\u001f{texts[i]}", imported[i].Sources);
        }

        var json = Encoding.UTF8.GetString(await GetBytesAsync(client, "/api/contest/export"));
        Assert.Contains("君の名は。", json); // written as itself, not \u escapes
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, json, "application/json")).Status);
        Assert.Equal(imported, await GetFinalistsAsync(client));
        var csv = Encoding.UTF8.GetString(await GetBytesAsync(client, "/api/contest/export.csv"));
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, csv, "text/csv")).Status);
        Assert.Equal(imported, await GetFinalistsAsync(client));
    }

    [Fact]
    public async Task DryRun_ReportsWhatWouldHappen_AndChangesNothing()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var before = await GetBytesAsync(client);

        var json = await ImportAsync(client, SampleContest(), dryRun: true);

        Assert.True(json.Status == HttpStatusCode.OK, json.Describe());
        Assert.False(json.Body.GetProperty("applied").GetBoolean());
        Assert.Equal(7, json.Body.GetProperty("categories").GetInt32());
        Assert.Equal(21, json.Body.GetProperty("finalists").GetInt32());
        Assert.Equal(before, await GetBytesAsync(client));

        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, SampleContest())).Status);
        var imported = await GetBytesAsync(client);
        var csv = await ImportAsync(client, Sample(BrokenCsv).Replace("Dramma", "Fan Fiction").Replace(",,", ",Untitled,"), "text/csv", dryRun: true);
        Assert.True(csv.Status == HttpStatusCode.BadRequest, csv.Describe());
        Assert.Equal(["row 8: order"], csv.Errors.Keys);
        Assert.Equal(imported, await GetBytesAsync(client));
    }

    [Fact]
    public async Task Csv_BeforeAnyCategoryExists_IsRefusedSayingSo()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);

        var import = await ImportAsync(client, Sample(SampleCsv), "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, import.Status);
        Assert.Equal(21, import.Errors.Count);
        Assert.Contains("no categories yet", import.Errors["row 2: category"]);
    }

    [Fact]
    public async Task A100KilobyteCsv_IsAccepted_AndA3MegabyteOne_Is413()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(client, SampleContest())).Status);

        var large = LargeCsv(100 * 1024);
        var accepted = await ImportAsync(client, large, "text/csv");
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.Describe());
        Assert.True(accepted.Body.GetProperty("finalists").GetInt32() > 300);

        var before = await GetBytesAsync(client);
        var tooLarge = await ImportAsync(client, LargeCsv(3 * 1024 * 1024), "text/csv");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal(before, await GetBytesAsync(client));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task OtherContentTypes_Are415(string mediaType)
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);

        var import = await ImportAsync(client, Sample(SampleCsv), mediaType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, import.Status);
    }

    [Fact]
    public async Task BytesThatAreNotUtf8_AreRefusedSayingSo()
    {
        using var server = new AmvServer();
        using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var latin1 = Encoding.Latin1.GetBytes("category,order,title,editors,music_artist,music_title,sources,file\nTrailers,1,Café,A,B,C,,\n");
        using var content = new ByteArrayContent(latin1);
        content.Headers.ContentType = new("text/csv");

        using var response = await client.PostAsync("/api/contest/import", content).WaitAsync(TimeLimit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync().WaitAsync(TimeLimit));
    }

    [Fact]
    public async Task ImportOnFirstStart_ImportsTheSampleContest()
    {
        var folder = Directory.CreateTempSubdirectory("amv-sample-");
        try
        {
            var file = Path.Combine(folder.FullName, SampleJson);
            await File.WriteAllTextAsync(file, Sample(SampleJson)).WaitAsync(TimeLimit);
            using var server = new AmvServer(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = file });
            using var client = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);

            Assert.Equal(21, (await GetFinalistsAsync(client)).Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A valid finalists file of about this many bytes: the sample's rows again and again, at new orders.</summary>
    private static string LargeCsv(int bytes)
    {
        var rows = Sample(SampleCsv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder(rows[0]).Append('\n');
        for (var order = 1; text.Length < bytes; order++)
        {
            foreach (var row in rows.Skip(1).Where((_, i) => i % 3 == 0))
            {
                var cells = row.Split(',', 3);
                text.Append($"{cells[0]},{order},{cells[2]}\n");
            }
        }

        return text.ToString();
    }

    private static JsonNode Set(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        var parent = parts[..^1].Aggregate(root, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        switch (parent, parts[^1])
        {
            case (JsonArray array, "-"):
                array.Add(value);
                break;
            case (JsonArray array, var index):
                array[int.Parse(index)] = value;
                break;
            default:
                parent[parts[^1]] = value;
                break;
        }

        return root;
    }
}
