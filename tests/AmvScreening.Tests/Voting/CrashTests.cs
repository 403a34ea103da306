using System.Collections.Concurrent;
using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Voting;

/// <summary>Runs alone: the burst loads both cores, which would slow every test beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}

/// <summary>A vote acknowledged to a phone is never lost, even when the server process is killed mid-burst.</summary>
[Collection(AloneCollection.Name)]
public sealed class CrashTests
{
    [Fact]
    public async Task Sigkill_InTheMiddleOfABurst_LosesNoAcknowledgedVote_AndTheDatabaseIsIntact()
    {
        var data = Directory.CreateTempSubdirectory("amv-crash-").FullName;
        var settings = AmvServer.ProcessSettings(data);
        var serverDll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");
        var acknowledged = new ConcurrentBag<(string Token, int EntryId, int Score)>();
        try
        {
            await using (var server = await ServerProcess.StartAsync(serverDll, settings, TimeSpan.FromSeconds(60)))
            {
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                var entries = await OpenAllCategoriesAsync(http);
                var room = await LoginAndGetAsync<RoomInfo>(http, "/api/room");
                var voters = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => VoterClient.JoinAsync(http, room.Code)));

                // Each voter rates entries one after another; the server is killed once enough votes are acknowledged.
                var killAfter = 400;
                var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var loops = voters.Select((voter, i) => Task.Run(async () =>
                {
                    foreach (var entryId in entries)
                    {
                        var score = 1 + (i + entryId) % 5;
                        try
                        {
                            var response = await voter.VoteAsync(entryId, score);
                            if (response.IsSuccessStatusCode)
                            {
                                acknowledged.Add((voter.Token, entryId, score));
                                if (acknowledged.Count >= killAfter)
                                {
                                    killed.TrySetResult();
                                }
                            }
                        }
                        catch (HttpRequestException)
                        {
                            return; // the server is gone
                        }
                        catch (TaskCanceledException)
                        {
                            return;
                        }
                    }
                })).ToList();

                await killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
                await server.KillAsync();
                await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.True(acknowledged.Count >= 400, $"only {acknowledged.Count} votes were acknowledged");

            // Restart on the same data: every acknowledged vote is there, and the file is sound.
            await using (var restarted = await ServerProcess.StartAsync(serverDll, settings, TimeSpan.FromSeconds(60)))
            {
                using var http = new HttpClient { BaseAddress = restarted.BaseAddress };
                Assert.Equal("Healthy", await http.GetStringAsync("/readyz"));
                foreach (var group in acknowledged.GroupBy(a => a.Token))
                {
                    var mine = await new VoterClient(http, group.Key).SendAsync(HttpMethod.Get, "/api/votes");
                    var scores = (await mine.Content.ReadFromJsonAsync<MyVotes>())!.Scores;
                    foreach (var vote in group)
                    {
                        Assert.True(scores.TryGetValue(vote.EntryId, out var stored) && stored == vote.Score,
                            $"acknowledged vote {vote.Score} for entry {vote.EntryId} is missing after the restart");
                    }
                }
            }

            await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "amv.db")};Pooling=False");
            await connection.OpenAsync();
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private sealed record MyVotes(Dictionary<int, int> Scores, int? BestInShow);

    private static async Task<T> LoginAndGetAsync<T>(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", await StaffCookieAsync(http));
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>Opens every category by hand and returns the ids of all finalists.</summary>
    private static async Task<List<int>> OpenAllCategoriesAsync(HttpClient http)
    {
        var cookie = await StaffCookieAsync(http);
        var voting = await http.GetFromJsonAsync<VotingSnapshot>("/api/voting");
        foreach (var category in voting!.Categories)
        {
            using var open = new HttpRequestMessage(HttpMethod.Post, $"/api/voting/categories/{category.CategoryId}/open");
            open.Headers.Add("Cookie", cookie);
            (await http.SendAsync(open)).EnsureSuccessStatusCode();
        }

        var opened = await http.GetFromJsonAsync<VotingSnapshot>("/api/voting");
        return opened!.Categories.SelectMany(c => c.VotableEntries).Select(e => e.Id).ToList();
    }

    private static async Task<string> StaffCookieAsync(HttpClient http)
    {
        var login = await http.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password = AmvServer.CoordinatorPassword });
        login.EnsureSuccessStatusCode();
        return login.Headers.GetValues("Set-Cookie").First().Split(';')[0];
    }
}
