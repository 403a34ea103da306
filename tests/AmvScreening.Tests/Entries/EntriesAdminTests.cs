using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Entries.Admin;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AmvScreening.Tests.Entries;

/// <summary>The coordinator's entries API on the real server: the list and the CSV carry contact emails to
/// coordinators only; previous finalists are imported (bad files refused naming the line or index and field, nothing
/// changed), likely repeats flagged and cleared; every route refuses booth and anonymous callers.</summary>
public sealed class EntriesAdminTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>Every route of the coordinator's entries API (method and path with ids filled in), from the route table,
    /// so a route added later is covered too.</summary>
    private List<(string Method, string Path)> Routes() =>
    [
        .. _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>()?.Tags.Contains("Entries (coordinator)") == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m =>
                (m, "/" + e.RoutePattern.RawText!.TrimStart('/').Replace("{id:long}", "1", StringComparison.Ordinal)))),
    ];

    [Fact]
    public async Task EveryEntriesRoute_RefusesAnonymousWith401_AndTheBoothWith403()
    {
        EntryRows.Insert(_server.DataDirectory, "Some entry");
        var routes = Routes();
        Assert.True(routes.Count >= 6, string.Join(", ", routes));
        Assert.Contains(("GET", "/api/entries/export.csv"), routes);
        using var anonymous = _server.CreateAnonymousClient();
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        foreach (var (method, path) in routes)
        {
            HttpRequestMessage Request() => new(new HttpMethod(method), path)
            {
                Content = method is "GET" ? null : new StringContent("title,editors,year\nA,B,2020\n", Encoding.UTF8, "text/csv"),
            };
            var a = await anonymous.SendAsync(Request()).WaitAsync(Bound);
            Assert.True(a.StatusCode == HttpStatusCode.Unauthorized, $"anonymous {method} {path}: {(int)a.StatusCode}");
            var b = await booth.SendAsync(Request()).WaitAsync(Bound);
            Assert.True(b.StatusCode == HttpStatusCode.Forbidden, $"booth {method} {path}: {(int)b.StatusCode}");
            Assert.DoesNotContain("editor@example.com", await b.Content.ReadAsStringAsync());
        }

        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _server.BaseAddress };
        var page = await noRedirects.GetAsync("/console/entries").WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/console/sign-in", page.Headers.Location!.AbsolutePath);
        var boothPage = await booth.GetAsync("/console/entries").WaitAsync(Bound);
        Assert.Contains("/console/denied", boothPage.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.DoesNotContain("editor@example.com", await boothPage.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Coordinator_SeesEveryEntryWithItsContact_AndTheCsvHasThemFormulaSafe()
    {
        var first = EntryRows.Insert(_server.DataDirectory, "=HYPERLINK(\"http://x\")", editors: ["Ann", "Bo"], email: "Ann@Example.com");
        var second = EntryRows.Insert(_server.DataDirectory, "Second", email: "bo@example.com", category: "Drama");
        using (var connection = EntryRows.Open(_server.DatabasePath))
        {
            Dapper.SqlMapper.Execute(connection, "UPDATE submissions SET withdrawn_at = '2026-06-02T00:00:00.0000000+00:00' WHERE id = @second", new { second });
        }

        using var coordinator = await _server.CreateStaffClientAsync();
        var list = await coordinator.GetFromJsonAsync<JsonElement>("/api/entries").WaitAsync(Bound);
        Assert.Equal(2, list.GetArrayLength());
        var row = list.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == first);
        Assert.Equal("Ann@Example.com", row.GetProperty("contactEmail").GetString());
        Assert.Equal("Intensity", row.GetProperty("category").GetString());
        Assert.Equal("none", row.GetProperty("checkState").GetString());
        Assert.NotEqual(JsonValueKind.Null, list.EnumerateArray().Single(e => e.GetProperty("id").GetInt64() == second).GetProperty("withdrawnAt").ValueKind);

        var csv = await coordinator.GetAsync("/api/entries/export.csv").WaitAsync(Bound);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var records = Csv.Parse(await csv.Content.ReadAsStringAsync());
        Assert.Equal(EntriesCsv.Columns.ToArray(), records[0]);
        var ann = records.Single(r => r[0] == first.ToString());
        Assert.Equal("'=HYPERLINK(\"http://x\")", ann[2]);
        Assert.Equal("Ann | Bo", ann[3]);
        Assert.Equal("Ann@Example.com", ann[4]);
        Assert.Equal(3, records.Length);
    }

    [Fact]
    public async Task PreviousFinalists_Imported_FlagLikelyRepeats_WhichTheCoordinatorClears_AndAReimportKeepsCleared()
    {
        var repeat = EntryRows.Insert(_server.DataDirectory, "Kimi no Na wa (Director's Cut)", editors: ["Mega-Vult"]);
        var typo = EntryRows.Insert(_server.DataDirectory, "Shattered Skies", editors: ["Lyra", "Sol"]);
        var newWork = EntryRows.Insert(_server.DataDirectory, "Brand New Thing", editors: ["Mega Vult"]);
        var sameTitleOtherEditor = EntryRows.Insert(_server.DataDirectory, "Memories", editors: ["Someone Else"]);
        using var coordinator = await _server.CreateStaffClientAsync();

        var list = "title,editors,year\r\n\"Kimi no Na wa!\",Mega Vult,2023\r\nShatterd Skies,Sol | Kai,2024\r\nMemories,Old Hand,\r\n";
        var imported = await coordinator.PutAsync("/api/previous-finalists", new StringContent(list, Encoding.UTF8, "text/csv")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var answer = await imported.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, answer.GetProperty("imported").GetInt32());
        Assert.Equal(2, answer.GetProperty("flagged").GetInt32());

        Assert.Equal("“Kimi no Na wa!” by Mega Vult (2023)", EntryRows.Read(_server.DatabasePath, repeat).RepeatOf);
        Assert.Equal("“Shatterd Skies” by Sol, Kai (2024)", EntryRows.Read(_server.DatabasePath, typo).RepeatOf);
        Assert.Null(EntryRows.Read(_server.DatabasePath, newWork).RepeatOf);
        Assert.Null(EntryRows.Read(_server.DatabasePath, sameTitleOtherEditor).RepeatOf);

        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/entries/{typo}/clear-repeat", null).WaitAsync(Bound)).StatusCode);
        Assert.Equal(1, EntryRows.Read(_server.DatabasePath, typo).RepeatCleared);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync($"/api/entries/{newWork}/clear-repeat", null).WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync("/api/entries/999999/clear-repeat", null).WaitAsync(Bound)).StatusCode);

        var json = """[{"title":"Kimi no Na wa","editors":["megavult"],"year":2023},{"title":"Shattered Skies","editors":["Sol"]}]""";
        var again = await coordinator.PutAsync("/api/previous-finalists", new StringContent(json, Encoding.UTF8, "application/json")).WaitAsync(Bound);
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("flagged").GetInt32());
        var cleared = EntryRows.Read(_server.DatabasePath, typo);
        Assert.Equal(1, cleared.RepeatCleared);
        var stored = await coordinator.GetFromJsonAsync<JsonElement>("/api/previous-finalists").WaitAsync(Bound);
        Assert.Equal(2, stored.GetProperty("count").GetInt32());

        // An entry submitted after the import is flagged by the background matcher.
        var late = EntryRows.Insert(_server.DataDirectory, "kimi no na wa", editors: ["MEGA VULT"]);
        Assert.NotNull((await EntryRows.WaitAsync(_server.DatabasePath, late, r => r.RepeatOf is not null, Bound)).RepeatOf);
    }

    /// <summary>Malformed lists, each with the place its error must name.</summary>
    public static TheoryData<string, string, string> MalformedLists() => new()
    {
        { "text/csv", "", "line 1" },
        { "text/csv", "name,editors\nA,B\n", "line 1: name" },
        { "text/csv", "title,year\nA,2020\n", "line 1: editors" },
        { "text/csv", "title,editors,year\nGood,Ed,2020\n,Ed,2021\n", "line 3: title" },
        { "text/csv", "title,editors,year\nGood,Ed,2020\nA,,2021\n", "line 3: editors" },
        { "text/csv", "title,editors,year\nGood,Ed,2020\nA,Ed,20x1\n", "line 3: year" },
        { "text/csv", "title,editors,year\nGood,Ed,2020\nA,Ed,1066\n", "line 3: year" },
        { "text/csv", "title,editors,year\nGood,Ed,2020\nA,Ed\n", "line 3" },
        { "text/csv", "title,editors,year\n\"Multi\nline\",Ed,2020\nA \"quoted\" title,Ed,2021\n", "line 4" },
        { "text/csv", $"title,editors,year\n{new string('x', 301)},Ed,2020\n", "line 2: title" },
        { "application/json", "{\"title\":\"A\"}", "body" },
        { "application/json", "[{\"title\":\"A\",\"editors\":[\"E\"]},", "body" },
        { "application/json", "[{\"title\":\"A\",\"editors\":[\"E\"]},{\"editors\":[\"E\"]}]", "[1].title" },
        { "application/json", "[{\"title\":\"A\",\"editors\":\"E\"}]", "[0].editors" },
        { "application/json", "[{\"title\":\"A\",\"editors\":[\"E\"],\"year\":\"2020\"}]", "[0].year" },
        { "application/json", "[{\"title\":\"A\",\"editors\":[\"E\"],\"editor\":\"E\"}]", "[0].editor" },
        { "application/json", "[1]", "[0]" },
    };

    [Theory]
    [MemberData(nameof(MalformedLists))]
    public async Task PreviousFinalistsImport_MalformedList_IsRefusedNamingThePlace_AndNothingChanges(string type, string body, string place)
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var good = await coordinator.PutAsync("/api/previous-finalists", new StringContent("title,editors,year\nKept,Ed,2022\n", Encoding.UTF8, "text/csv")).WaitAsync(Bound);
        good.EnsureSuccessStatusCode();

        var response = await coordinator.PutAsync("/api/previous-finalists", new StringContent(body, Encoding.UTF8, type)).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The previous finalists were not imported.", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(place, out var messages), $"expected an error at '{place}': {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));

        var stored = await coordinator.GetFromJsonAsync<JsonElement>("/api/previous-finalists").WaitAsync(Bound);
        Assert.Equal("Kept", stored.GetProperty("finalists")[0].GetProperty("title").GetString());
        Assert.Equal(1, stored.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task PreviousFinalistsImport_NotUtf8OrAnotherType_IsRefused()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var latin1 = new ByteArrayContent([.. "title,editors\nCaf"u8, 0xE9, .. ",Ed\n"u8]);
        latin1.Headers.ContentType = new("text/csv");
        var response = await coordinator.PutAsync("/api/previous-finalists", latin1).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync());
        var xml = await coordinator.PutAsync("/api/previous-finalists", new StringContent("<list/>", Encoding.UTF8, "application/xml")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
    }

    [Fact]
    public async Task Recheck_QueuesACheckedFileAgain_AndRefusesAnEntryWithoutOne()
    {
        var withFile = EntryRows.Insert(_server.DataDirectory, "Checked");
        var without = EntryRows.Insert(_server.DataDirectory, "No file");
        using (var connection = EntryRows.Open(_server.DatabasePath))
        {
            Dapper.SqlMapper.Execute(connection,
                "UPDATE submissions SET file_path = 'entries/x/none.mp4', check_state = 'failed', check_message = 'old', check_report = '{}' WHERE id = @withFile", new { withFile });
        }

        using var coordinator = await _server.CreateStaffClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await coordinator.PostAsync($"/api/entries/{withFile}/recheck", null).WaitAsync(Bound)).StatusCode);
        var row = await EntryRows.WaitAsync(_server.DatabasePath, withFile, EntryRows.Settled, TimeSpan.FromSeconds(30));
        Assert.Equal("The uploaded file is missing on the server: upload it again.", row.CheckMessage);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.PostAsync($"/api/entries/{without}/recheck", null).WaitAsync(Bound)).StatusCode);
    }
}
