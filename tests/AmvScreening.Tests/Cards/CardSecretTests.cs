using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Cards;

/// <summary>A ballot card's key is a secret: it appears in no log line of the server (with every log category turned
/// up), in no export, and nowhere in the database files.</summary>
public sealed class CardSecretTests
{
    [Fact]
    public async Task CardKeys_NeverReachTheLog_TheExports_OrTheDatabase()
    {
        var data = Directory.CreateTempSubdirectory("amv-secrets-").FullName;
        var settings = AmvServer.ProcessSettings(data);
        foreach (var category in new[] { "Default", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc" })
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
        }

        var serverDll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");
        try
        {
            string log;
            var exports = new StringBuilder();
            IReadOnlyList<CardTesting.Printed> cards;
            await using (var server = await ServerProcess.StartAsync(serverDll, settings, TimeSpan.FromSeconds(60)))
            {
                using var coordinator = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
                (await coordinator.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password = AmvServer.CoordinatorPassword })).EnsureSuccessStatusCode();
                var contest = await coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
                var entry = contest.GetProperty("entries")[0].GetProperty("id").GetInt32();
                var category = contest.GetProperty("entries")[0].GetProperty("categoryId").GetInt32();
                (await coordinator.PostAsync($"/api/voting/categories/{category}/open", null)).EnsureSuccessStatusCode();
                var batch = (await CardTesting.CreateBatchAsync(coordinator, 3)).GetProperty("id").GetInt64();
                cards = await CardTesting.PrintAsync(coordinator, batch);

                // Everything a card goes through: joined (typed with dashes, in lower case), voted, refused to another
                // phone, mistyped, released, taken by a new phone, its batch revoked, joined again.
                using var phone = new HttpClient { BaseAddress = server.BaseAddress };
                var holder = await VoterClient.JoinWithCardAsync(phone, cards[0].Key.ToLowerInvariant(), CardTesting.NewDevice());
                (await holder.VoteAsync(entry, 5)).EnsureSuccessStatusCode();
                var other = await VoterClient.JoinWithCardAsync(phone, cards[1].Key.Replace("-", ""), CardTesting.NewDevice());
                (await other.PickBestInShowAsync(entry)).Dispose();
                Assert.Equal(HttpStatusCode.Conflict, (await VoterClient.JoinWithCardResponseAsync(phone, cards[0].Key, CardTesting.NewDevice())).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await VoterClient.JoinWithCardResponseAsync(phone, Mistyped(cards[2].Key), CardTesting.NewDevice())).StatusCode);
                (await coordinator.PostAsync($"/api/cards/batches/{batch}/cards/1/release", null)).EnsureSuccessStatusCode();
                await VoterClient.JoinWithCardAsync(phone, cards[0].Key, CardTesting.NewDevice());
                (await coordinator.PostAsync($"/api/cards/batches/{batch}/revoke", null)).EnsureSuccessStatusCode();
                Assert.Equal(HttpStatusCode.Gone, (await VoterClient.JoinWithCardResponseAsync(phone, cards[2].Key, CardTesting.NewDevice())).StatusCode);

                foreach (var path in new[] { "/api/votes/export.csv", "/api/results/export.csv", "/api/results/export.json", "/api/contest/export",
                    "/api/contest/export.csv", "/api/cards/batches", "/api/tallies", "/api/room/posters" })
                {
                    exports.AppendLine(await coordinator.GetStringAsync(path));
                }

                // The last request's log line: everything before it has been printed.
                var marker = Guid.NewGuid().ToString("N");
                await coordinator.GetAsync($"/healthz?end={marker}");
                await server.WaitForLogAsync(marker, TimeSpan.FromSeconds(20));
                log = server.Log;
            }

            Assert.Contains("Request starting", log); // the log was as talkative as it gets
            Assert.Contains("/api/voters", log);
            var database = string.Concat(Directory.GetFiles(data, "amv.db*").Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
            foreach (var card in cards)
            {
                foreach (var form in Forms(card.Key))
                {
                    Assert.DoesNotContain(form, log, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(form, exports.ToString(), StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain(form, database, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The key as printed, without its dashes, and each half (enough to narrow a search).</summary>
    private static string[] Forms(string printed)
    {
        var raw = printed.Replace("-", "");
        return [printed, raw, raw[..8], raw[8..]];
    }

    private static string Mistyped(string key) => key[..^1] + (key[^1] == 'A' ? 'C' : 'A');
}
