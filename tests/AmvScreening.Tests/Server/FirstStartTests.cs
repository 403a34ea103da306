using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Server;

/// <summary>The first start on an empty data folder: a refused contest file does not stop the server, and the secrets
/// it generated are never lost (kept in a file only the server's user may read).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FirstStartTests
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BadImportFile_PrintsItsErrors_TheServerStarts_AndTheGeneratedSecretsAreKeptUntilTheFileIsDeleted()
    {
        var data = Directory.CreateTempSubdirectory("amv-first-").FullName;
        var bad = Path.Combine(data, "..", $"{Path.GetFileName(data)}-bad.json");
        await File.WriteAllTextAsync(bad, """
            {"contest":{"name":"Bad Con","year":2026},"categories":["Action"],
             "finalists":[{"category":"Drama","order":1,"title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S"}]}
            """);
        var settings = new Dictionary<string, string> { ["Amv:DataDirectory"] = data, ["Amv:ImportOnFirstStart"] = bad };
        var file = Path.Combine(data, SecretStore.GeneratedFileName);
        try
        {
            Dictionary<string, string> kept;
            await using (var server = await ServerProcess.StartAsync(ServerDll, settings, StartBound))
            {
                // The import's own error list, by row and field; then the server serves, without finalists.
                Assert.Contains("error: finalists[0].category: Unknown category 'Drama'", server.Log);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                kept = ReadSecrets(file);
                Assert.Equal(["Coordinator password", "Booth password", "Player API key"], kept.Keys);
                Assert.Contains(kept["Coordinator password"], server.Log); // printed at the start that made them

                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = HubTesting.Bound };
                await SignInAsync(http, Roles.Coordinator, kept["Coordinator password"]);
                var contest = await http.GetFromJsonAsync<JsonElement>("/api/contest");
                Assert.Empty(contest.GetProperty("entries").EnumerateArray());
                // The coordinator can check (and then import) a file from the console: the same errors.
                var check = await http.PostAsync("/api/contest/import?dryRun=true",
                    new StringContent(await File.ReadAllTextAsync(bad), System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
                Assert.Contains("finalists[0].category", await check.Content.ReadAsStringAsync());

                using var player = new HttpClient { BaseAddress = server.BaseAddress, Timeout = HubTesting.Bound };
                player.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, kept["Player API key"]);
                Assert.Equal(HttpStatusCode.OK, (await player.GetAsync("/api/room")).StatusCode);
            }

            // The next start does not print them again, but says where they are; they still work.
            await using (var again = await ServerProcess.StartAsync(ServerDll, settings, StartBound))
            {
                Assert.Contains(file, again.Log);
                Assert.DoesNotContain(kept["Coordinator password"], again.Log);
                using var http = new HttpClient { BaseAddress = again.BaseAddress, Timeout = HubTesting.Bound };
                await SignInAsync(http, Roles.Booth, kept["Booth password"]);
            }

            // A secret chosen since in the configuration drops out of the file: it would no longer work.
            settings["Amv:Auth:CoordinatorPassword"] = "chosen-coordinator-1";
            await using (var chosen = await ServerProcess.StartAsync(ServerDll, settings, StartBound))
            {
                Assert.Equal(["Booth password", "Player API key"], ReadSecrets(file).Keys);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            // Deleted by the operator: no longer mentioned.
            File.Delete(file);
            await using (var last = await ServerProcess.StartAsync(ServerDll, settings, StartBound))
            {
                Assert.DoesNotContain(SecretStore.GeneratedFileName, last.Log);
                Assert.False(File.Exists(file));
            }
        }
        finally
        {
            File.Delete(bad);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Files that cannot be imported, each in its own way: the server starts every time, without finalists.</summary>
    public static TheoryData<string, string> UnusableFiles() => new()
    {
        { "missing.json", "" },
        { "empty.json", " " },
        { "not-json.json", "this is not JSON" },
        { "binary.json", "\u0000\u0001\u0002\u00ff" },
        { "array.json", "[1, 2, 3]" },
        { "no-categories.csv", "category,order,title,editors,music_artist,music_title,sources,file,content_note\nNope,1,T,E,A,S,,,\n" },
        { "bad-number.json", """{"contest":{"name":"X","year":1e999},"categories":["A"],"finalists":[]}""" },
    };

    [Theory]
    [MemberData(nameof(UnusableFiles))]
    public async Task UnusableImportFile_DoesNotStopTheServer(string name, string content)
    {
        var folder = Directory.CreateTempSubdirectory("amv-import-").FullName;
        var path = Path.Combine(folder, name);
        if (name != "missing.json")
        {
            await File.WriteAllTextAsync(path, content);
        }

        try
        {
            using var server = new AmvServer(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = path });
            using var coordinator = await server.CreateStaffClientAsync();
            var contest = await coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
            Assert.Empty(contest.GetProperty("entries").EnumerateArray());
            Assert.Equal(HttpStatusCode.OK, (await coordinator.GetAsync("/readyz")).StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> ReadSecrets(string file) =>
        File.ReadAllLines(file).Where(l => !l.StartsWith('#') && l.Contains(": ", StringComparison.Ordinal))
            .Select(l => l.Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);

    private static async Task SignInAsync(HttpClient http, string role, string password)
    {
        var response = await http.PostAsJsonAsync("/api/auth/login", new { role, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} sign-in: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
